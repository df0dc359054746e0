import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlaidFacade, type PlaidFacade, type WebhookVerificationError } from '../../src/index.js';
import { createFakePlaid, type FakePlaid } from '../../src/testing/index.js';
import { freePort } from '../support/free-port.js';
import { servicesRequired, serviceUrl } from '../support/services.js';
import { b64, START } from '../support/webhook-setup.js';

// The shared webhook key cache (webhooks.keyCache.redis) against a real Redis: a fleet fetches
// each new key id once, and a Redis that fails or freezes costs a fetch, never a webhook.
const url = serviceUrl('redis', 'webhook key cache in Redis');

let fake: FakePlaid;
let server: { url: string; close(): Promise<void> };
const clients: Redis[] = [];
const facades: PlaidFacade[] = [];
let prefix: string;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  fake = createFakePlaid({ clientId: 'id', secret: 'secret' });
  server = await fake.listen();
  prefix = `wk-test-${Math.random().toString(36).slice(2)}:`;
});
afterEach(async () => {
  await Promise.all(facades.splice(0).map((plaid) => plaid.close()));
  for (const client of clients.splice(0)) client.disconnect();
  await server.close();
  vi.useRealTimers();
});

/** One process of the fleet: its own facade and Redis connection. */
function processOfFleet(redisUrl = String(url), options: { timeoutMs?: number } = {}): PlaidFacade {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', () => undefined);
  clients.push(client);
  const plaid = createPlaidFacade({
    clientId: 'id',
    secret: 'secret',
    basePath: server.url,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    webhooks: {
      keyCache: {
        redis: { client, prefix, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) },
      },
    },
  });
  facades.push(plaid);
  return plaid;
}

const keyFetches = () => fake.callsTo('/webhook_verification_key/get').length;
const hook = () => fake.webhook('ITEM', 'ERROR', { item_id: 'item-abc' }) as never;

function forged(kid: string) {
  const real = fake.webhook('ITEM', 'ERROR', { item_id: 'item-abc' });
  const [, claims, signature] = (real.headers['Plaid-Verification'] as string).split('.');
  return {
    body: real.body,
    headers: { 'Plaid-Verification': `${b64({ alg: 'ES256', kid, typ: 'JWT' })}.${claims}.${signature}` },
  };
}

describe.skipIf(!url)('webhook keys shared through Redis', () => {
  it('a fleet of three processes fetches a new key once, one after another or all at once', async () => {
    const fleet = [processOfFleet(), processOfFleet(), processOfFleet()];
    for (const plaid of fleet)
      await expect(plaid.webhooks.verify(hook())).resolves.toMatchObject({ webhookCode: 'ERROR' });
    expect(keyFetches()).toBe(1);
    // A rotation: every process gets webhooks signed with the new key at the same moment.
    fake.rotateWebhookKey();
    const events = await Promise.all(fleet.flatMap((plaid) => [plaid, plaid].map((p) => p.webhooks.verify(hook()))));
    expect(events).toHaveLength(6);
    expect(keyFetches()).toBe(2);
  });

  it('a process starting up prewarms the keys the fleet fetched, without asking Plaid', async () => {
    const first = fake.webhookKeyId;
    await processOfFleet().webhooks.verify(hook());
    const second = fake.rotateWebhookKey();
    await processOfFleet().webhooks.verify(hook());
    expect(keyFetches()).toBe(2);
    const starting = processOfFleet();
    await expect(starting.webhooks.prewarm()).resolves.toEqual([
      { keyId: second, status: 'ready' },
      { keyId: first, status: 'ready' },
    ]);
    await starting.webhooks.verify(hook());
    expect(keyFetches()).toBe(2);
  });

  it('a made-up key id costs one fetch for the whole fleet', async () => {
    const fleet = [processOfFleet(), processOfFleet(), processOfFleet()];
    for (const plaid of fleet) {
      const error = await plaid.webhooks.verify(forged('made-up-kid')).catch((caught: unknown) => caught);
      expect((error as WebhookVerificationError).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(keyFetches()).toBe(1);
  });

  it('a key planted in Redis by someone without the Plaid secret is not trusted', async () => {
    await processOfFleet().webhooks.verify(hook());
    expect(keyFetches()).toBe(1);
    // Someone with write access to Redis swaps in a key of their own, keeping the record's tag.
    const admin = new Redis(String(url));
    clients.push(admin);
    const key = `${prefix}webhook-key:${fake.webhookKeyId}`;
    const stored = String(await admin.get(key));
    const dot = stored.indexOf('.');
    const record = JSON.parse(stored.slice(dot + 1));
    const { x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    record.jwk = { ...record.jwk, x, y };
    await admin.set(key, `${stored.slice(0, dot)}.${JSON.stringify(record)}`, 'PX', 60_000);
    // The next process does not trust it: it asks Plaid, and the genuine webhook verifies.
    await expect(processOfFleet().webhooks.verify(hook())).resolves.toMatchObject({ webhookCode: 'ERROR' });
    expect(keyFetches()).toBe(2);
    await admin.set(key, 'junk', 'PX', 60_000);
    await expect(processOfFleet().webhooks.verify(hook())).resolves.toMatchObject({ webhookCode: 'ERROR' });
    expect(keyFetches()).toBe(3);
  });

  it('a Redis that refuses connections costs a fetch, never the webhook', async () => {
    const port = await freePort();
    const plaid = processOfFleet(`redis://127.0.0.1:${port}`);
    await expect(plaid.webhooks.verify(hook())).resolves.toMatchObject({ webhookCode: 'ERROR' });
    expect(keyFetches()).toBe(1);
  });
});

// A Redis of this test's own, frozen with SIGSTOP: the shared server must never be frozen.
describe.skipIf(!url)('webhook keys with a frozen Redis', () => {
  let redis: ChildProcess | undefined;
  let frozenUrl = '';
  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    redis.on('error', () => undefined);
    frozenUrl = `redis://127.0.0.1:${port}`;
    const probe = new Redis(frozenUrl, { retryStrategy: (times) => (times > 50 ? null : 50) });
    probe.on('error', () => undefined);
    try {
      await probe.ping();
    } catch (error) {
      if (servicesRequired) throw error;
    } finally {
      probe.disconnect();
    }
  });
  afterAll(() => {
    redis?.kill('SIGCONT');
    redis?.kill('SIGKILL');
  });

  it('every Redis call is bounded: a frozen Redis delays verification by its bound, once, then is skipped', async () => {
    const plaid = processOfFleet(frozenUrl, { timeoutMs: 200 });
    await plaid.webhooks.verify(hook()); // connected and warm
    fake.rotateWebhookKey();
    redis?.kill('SIGSTOP');
    try {
      const started = performance.now();
      await expect(plaid.webhooks.verify(hook())).resolves.toMatchObject({ webhookCode: 'ERROR' });
      const took = performance.now() - started;
      // One bounded read, then Redis is left alone for a while (no write waits, no lease waits).
      expect(took).toBeLessThan(1_500);
      expect(keyFetches()).toBe(2);
      const error = await plaid.webhooks.verify(forged('made-up-while-frozen')).catch((caught: unknown) => caught);
      expect((error as WebhookVerificationError).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    } finally {
      redis?.kill('SIGCONT');
    }
    // Thawed, and past the pause: the fleet shares again (a new process needs no fetch).
    vi.setSystemTime(Date.now() + 6_000);
    await plaid.webhooks.verify(forged('made-up-after-thaw')).catch(() => undefined);
    const fetches = keyFetches();
    const next = processOfFleet(frozenUrl, { timeoutMs: 200 });
    await expect(next.webhooks.verify(forged('made-up-after-thaw'))).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(keyFetches()).toBe(fetches);
  });
});
