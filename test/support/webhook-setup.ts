import { createHmac } from 'node:crypto';
import { vi } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, type PlaidFacade, type TokenStore } from '../../src/index.js';
import { createFakePlaid, type FakePlaid } from '../../src/testing/index.js';

/** A fake Plaid on loopback and a real facade over it, with `Date` on a fake clock shared by both. */
export interface WebhookSetup {
  fake: FakePlaid;
  plaid: PlaidFacade;
  store: TokenStore;
  /** The fake clock (ms): setting `now` moves `Date` for the facade and the fake alike. */
  clock: { now: number };
  /** The fake's base URL. */
  url: string;
  /** How many times the verification key endpoint was called. */
  keyFetches(): number;
  close(): Promise<void>;
}

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

/**
 * Starts a fake Plaid server and a facade over it. Only `Date` is faked (timers and sockets stay
 * real), so the webhook's `iat` checks run on the test's clock while HTTP works as usual.
 */
export async function webhookSetup(
  options: { store?: TokenStore; environment?: 'sandbox' | 'production' } = {},
): Promise<WebhookSetup> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret' });
  const server = await fake.listen();
  const store = options.store ?? new MemoryTokenStore();
  const plaid = createPlaidFacade({
    clientId: 'id',
    secret: 'secret',
    environment: options.environment ?? 'sandbox',
    basePath: server.url,
    tokenStore: store,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  });
  const clock = {
    get now() {
      return Date.now();
    },
    set now(ms: number) {
      vi.setSystemTime(ms);
    },
  };
  return {
    fake,
    plaid,
    store,
    clock,
    url: server.url,
    keyFetches: () => fake.callsTo('/webhook_verification_key/get').length,
    close: async () => {
      await plaid.close();
      await server.close();
      vi.useRealTimers();
    },
  };
}

/** The public JWK of `kid`, as anyone with API access can read it. */
export async function publicJwk(setup: WebhookSetup, kid: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${setup.url}/webhook_verification_key/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'plaid-client-id': 'id', 'plaid-secret': 'secret' },
    body: JSON.stringify({ key_id: kid }),
  });
  return ((await response.json()) as { key: Record<string, unknown> }).key;
}

/** base64url of a JSON value. */
export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT with `header`, claims over `body`, and an HMAC-SHA256 "signature" made with `secret`. */
export function hmacJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A webhook of `fake` whose JWT names key id `kid`: a forger's (the signature is someone else's). */
export function forgedWebhook(fake: FakePlaid, kid: string, item: { item_id: string }) {
  const hook = fake.webhook('ITEM', 'ERROR', item);
  const [, claims, signature] = (hook.headers['Plaid-Verification'] as string).split('.');
  return {
    body: hook.body,
    headers: { 'Plaid-Verification': `${b64({ alg: 'ES256', kid, typ: 'JWT' })}.${claims}.${signature}` },
  };
}
