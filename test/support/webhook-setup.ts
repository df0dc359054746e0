import { createHmac } from 'node:crypto';
import { MemoryTokenStore } from '../../src/stores/memory.js';
import type { TokenStore } from '../../src/stores/token-store.js';
import { createFakePlaid, type FakePlaid } from '../../src/testing/index.js';
import { ItemLocks } from '../../src/webhooks/health.js';
import { createWebhooks, type PlaidWebhooks } from '../../src/webhooks/webhooks.js';

/** A fake Plaid on loopback and webhooks verified against it, on one shared fake clock. */
export interface WebhookSetup {
  fake: FakePlaid;
  webhooks: PlaidWebhooks;
  store: TokenStore;
  /** The shared clock (ms); move it with `clock.now = …`. */
  clock: { now: number };
  /** The fake's base URL. */
  url: string;
  /** How many times the verification key endpoint was called. */
  keyFetches(): number;
  close(): Promise<void>;
}

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Starts a fake Plaid server and a webhook verifier that fetches keys from it. */
export async function webhookSetup(options: { store?: TokenStore; environment?: string } = {}): Promise<WebhookSetup> {
  const clock = { now: START };
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret', now: () => new Date(clock.now) });
  const server = await fake.listen();
  const store = options.store ?? new MemoryTokenStore();
  const webhooks = createWebhooks({
    environment: options.environment ?? 'sandbox',
    store,
    now: () => clock.now,
    locks: new ItemLocks(),
    async fetchKey(kid) {
      const response = await fetch(`${server.url}/webhook_verification_key/get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'plaid-client-id': 'id', 'plaid-secret': 'secret' },
        body: JSON.stringify({ key_id: kid }),
      });
      const body = (await response.json()) as { key: import('jose').JWK & { expired_at: number | null } };
      if (response.status === 400) return undefined;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return { jwk: body.key, expiredAt: body.key.expired_at };
    },
  });
  return {
    fake,
    webhooks,
    store,
    clock,
    url: server.url,
    keyFetches: () => fake.callsTo('/webhook_verification_key/get').length,
    close: () => server.close(),
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
