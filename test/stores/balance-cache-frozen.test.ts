import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, type PlaidFacade, type PlaidFacadeEvent } from '../../src/index.js';
import { RedisBalanceCache } from '../../src/stores/redis.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { OwnRedis, redisServerBinary } from '../rate-limit/own-redis.js';
import { servicesRequired } from '../support/services.js';
import { settledWithin } from '../support/settled-within.js';

/*
 * Issue #21: "the Redis balance cache has no time limit". Set up as docs/balances.md shows (an
 * ioredis client with its defaults: commands queue while it reconnects, for ever), a Redis of this
 * test's own is frozen (SIGSTOP), then killed: reads with `maxAgeMs` must answer live within the
 * cache's bound, and a caller's signal must end the call during the cache read.
 */
const binary = redisServerBinary();
const suite = 'RedisBalanceCache when Redis is frozen or killed';
if (!binary) {
  const reason = `${suite}: skipped, no redis-server (\`source .ci/services.sh\` installs it)`;
  if (servicesRequired) throw new Error(`${reason} — but CI=true requires it`);
  console.warn(reason);
}

/** The cache's bound in this test. */
const balanceCacheTimeoutMs = 250;
/** A read that goes live after its cache bound, on a loaded machine: generous, far below a hang. */
const liveBoundMs = 5_000;

describe.skipIf(!binary)(suite, () => {
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
  let own: OwnRedis;
  let client: Redis;
  let server: { url: string; close: () => Promise<void> };
  const events: PlaidFacadeEvent[] = [];
  const itemIds: string[] = [];
  const tokenStore = new MemoryTokenStore();

  function facade(options: { balanceCacheTimeoutMs?: number } = {}): PlaidFacade {
    return createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: server.url,
      rateLimit: false,
      balanceCache: new RedisBalanceCache({ client }),
      tokenStore,
      onEvent: (event) => events.push(event),
      ...options,
    });
  }
  let plaid: PlaidFacade;
  let killed = false;

  beforeAll(async () => {
    own = await OwnRedis.start(binary as string);
    client = new Redis(own.url); // ioredis defaults, as docs/balances.md shows
    client.on('error', () => {}); // reconnect noise, expected here
    server = await fake.listen();
    plaid = facade({ balanceCacheTimeoutMs });
    for (let i = 0; i < 2; i++) {
      itemIds.push((await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() })).itemId);
    }
  });

  afterAll(async () => {
    own.thaw();
    await plaid.close();
    client.disconnect();
    // OwnRedis.kill() waits for an exit that already happened when called twice.
    if (!killed) await own.kill();
    await server.close();
  });

  /** Both reads answer live within the bound, each after one cache miss reported as a timeout or error. */
  async function readsGoLive(reason: 'timeout' | 'error' | 'any'): Promise<void> {
    events.length = 0;
    const started = performance.now();
    const one = await settledWithin(
      plaid.getBalances({ userId: 'u', itemId: itemIds[0] as string, maxAgeMs: 60_000 }),
      liveBoundMs,
    );
    expect(one).toMatchObject({ source: 'live', itemId: itemIds[0] });
    const all = await settledWithin(plaid.getAllBalances({ userId: 'u', maxAgeMs: 60_000 }), liveBoundMs);
    expect(all).toMatchObject({ partial: false });
    expect((all as { items: Array<{ source: string }> }).items.map((item) => item.source)).toEqual(['live', 'live']);
    expect(performance.now() - started).toBeLessThan(2 * liveBoundMs);
    const misses = events.filter((event) => event.type === 'balance-cache-failed' && event.operation === 'get');
    expect(misses).toHaveLength(3);
    if (reason !== 'any')
      expect(misses.every((event) => event.type === 'balance-cache-failed' && event.reason === reason)).toBe(true);
  }

  it('serves a read from the cache while Redis answers', async () => {
    await plaid.getBalances({ userId: 'u', itemId: itemIds[0] as string, maxAgeMs: 60_000 });
    await expect(
      plaid.getBalances({ userId: 'u', itemId: itemIds[0] as string, maxAgeMs: 60_000 }),
    ).resolves.toMatchObject({ source: 'cache' });
  });

  it('frozen (SIGSTOP): getBalances and getAllBalances with maxAgeMs answer live within the cache’s bound', async () => {
    own.freeze();
    try {
      await readsGoLive('timeout');
      // The writes of those live reads are dropped in the background, each with an event.
      await expect
        .poll(
          () => events.filter((event) => event.type === 'balance-cache-failed' && event.operation === 'set').length,
          { timeout: liveBoundMs },
        )
        .toBe(3);
    } finally {
      own.thaw();
    }
  });

  it('frozen: the caller’s signal ends the call during the cache read', async () => {
    // A cache bound far beyond the caller's patience: only the signal can end the wait.
    const patient = facade({ balanceCacheTimeoutMs: 60_000 });
    own.freeze();
    try {
      const reason = new Error('the caller gave up');
      const controller = new AbortController();
      const started = performance.now();
      const reads: Promise<unknown>[] = [
        patient.getBalances(
          { userId: 'u', itemId: itemIds[0] as string, maxAgeMs: 60_000 },
          { signal: controller.signal },
        ),
        patient.getAllBalances({ userId: 'u', maxAgeMs: 60_000 }, { signal: controller.signal }),
      ];
      setTimeout(() => controller.abort(reason), 100);
      for (const read of reads) expect(await settledWithin(read, liveBoundMs)).toBe(reason);
      expect(performance.now() - started).toBeLessThan(liveBoundMs);
    } finally {
      own.thaw();
      await patient.close();
    }
  });

  it('killed: getBalances and getAllBalances with maxAgeMs answer live within the cache’s bound', async () => {
    await own.kill();
    killed = true;
    await readsGoLive('any');
  });
});
