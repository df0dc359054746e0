import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveRateLimitOptions } from '../../src/options.js';
import { realClock } from '../../src/pipeline/rate-limit/clock.js';
import type { Limit, Permit } from '../../src/pipeline/rate-limit/limit.js';
import { createRateLimiter } from '../../src/pipeline/rate-limit/rate-limiter.js';
import { RedisConnection } from '../../src/pipeline/rate-limit/redis-connection.js';
import { createSharedLimit } from '../../src/pipeline/rate-limit/shared.js';
import { redisClusterNodes } from '../support/services.js';
import { OwnCluster } from './own-cluster.js';
import { redisServerBinary } from './own-redis.js';

/*
 * The shared limits on a 3-master Redis Cluster (the CI's, .ci/services.sh): the limiter's own
 * connection keeps its options, Item windows spread over the masters with no CROSSSLOT, a call
 * costs at most 3 round trips, and a call refused by the endpoint's window leaves no Item slot taken.
 */

const nodes = redisClusterNodes('shared limits on Redis Cluster');
const endpoint = '/accounts/balance/get';

describe('duplicating a Cluster client', () => {
  it('calls duplicate([], options): start-up nodes kept, the limiter’s options over the user’s per-node ones', () => {
    const calls: unknown[][] = [];
    const fakeConnection = { status: 'wait', on: () => {}, once: () => {}, defineCommand: () => {} };
    const user = {
      isCluster: true,
      options: { redisOptions: { password: 'kept', connectionName: 'app' } },
      duplicate: (...args: unknown[]) => {
        calls.push(args);
        return fakeConnection;
      },
      defineCommand: () => {},
    };
    new RedisConnection(user, 500);
    const [startupNodes, options] = calls[0] as [unknown, Record<string, unknown>];
    expect(startupNodes).toEqual([]);
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      redisOptions: { password: 'kept', connectionName: 'app', maxRetriesPerRequest: 0 },
    });
    expect(typeof options.clusterRetryStrategy).toBe('function');
  });
});

describe.skipIf(!nodes)('shared limits on a Redis Cluster', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  function setup(keyPrefix = `cluster-test-${randomUUID()}:sandbox:${endpoint}`) {
    const client = new Cluster(nodes ?? [], { lazyConnect: true });
    const connection = new RedisConnection(client, 5_000);
    const limit = createSharedLimit({
      connection,
      keyPrefix,
      endpoint,
      perEndpoint: { limit: 1_000_000, intervalMs: 60_000 },
      perItem: { limit: 5, intervalMs: 60_000 },
      maxQueued: 10,
      clock: realClock,
    }) as Limit;
    const admin = new Cluster(nodes ?? []);
    closers.push(async () => {
      await limit.close();
      await connection.close();
      admin.disconnect();
    });
    return { limit, connection, admin, keyPrefix };
  }

  it('spreads the Items’ windows over every master (each ≥ 15 % of 2,000 Items), with no CROSSSLOT', async () => {
    const { limit, admin, keyPrefix } = setup();
    const permits: Permit[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      // in batches: 2,000 takes at once on a busy machine would only test its patience
      const taken = await Promise.all(
        Array.from({ length: 200 }, (_, i) => limit.acquire({ itemId: `item-${batch * 200 + i}`, timeoutMs: 1_000 })),
      );
      permits.push(...taken);
    }
    const counts: number[] = [];
    for (const master of admin.nodes('master')) {
      let count = 0;
      let cursor = '0';
      do {
        const [next, keys] = await master.scan(cursor, 'MATCH', `{${keyPrefix}:item:*`, 'COUNT', 1_000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      counts.push(count);
    }
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2_000);
    for (const count of counts) expect(count / 2_000).toBeGreaterThanOrEqual(0.15);
    for (const permit of permits) permit.cancel();
  });

  it('costs at most 3 round trips for a call that finds room (Item take, endpoint take, both settles at once)', async () => {
    const { limit, connection } = setup();
    await limit.acquire({ itemId: 'warm-up' }).then((permit) => permit.cancel());
    while (connection.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = connection.commands;
    const permit = await limit.acquire({ itemId: 'item-1' });
    expect(connection.commands - before).toBe(2); // two takes, one after the other
    permit.release();
    expect(connection.commands - before).toBe(4); // the two settles leave together: one more round trip
  });

  it('gives the Item’s slot back when the endpoint’s window refuses the call: no slot leaks', async () => {
    const keyPrefix = `cluster-test-${randomUUID()}:sandbox:${endpoint}`;
    const client = new Cluster(nodes ?? [], { lazyConnect: true });
    const admin = new Cluster(nodes ?? []);
    const limiter = createRateLimiter(
      resolveRateLimitOptions(
        {
          endpoints: { [endpoint]: { limit: 1, intervalMs: 60_000 } },
          perItem: { [endpoint]: { limit: 5, intervalMs: 60_000 } },
          maxQueued: 0,
          redis: { client, prefix: keyPrefix.split(':')[0] },
        },
        'sandbox',
      ),
      'sandbox',
      () => {},
    );
    closers.push(async () => {
      await limiter.close();
      admin.disconnect();
      client.disconnect();
    });
    const prefix = `${keyPrefix.split(':')[0]}:sandbox:${endpoint}`;
    await limiter.schedule({ endpoint, itemId: 'x' }, async () => {});
    const refused = await limiter.schedule({ endpoint, itemId: 'a' }, async () => {}).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL' });
    // the cancel of Item a's slot is on its way: wait for it (bounded)
    for (let i = 0; i < 100 && (await admin.zcard(`{${prefix}:item:a}:5per60000ms`)) > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await admin.zcard(`{${prefix}:item:a}:5per60000ms`)).toBe(0);
    expect(await admin.zcard(`{${prefix}:item:x}:5per60000ms`)).toBe(1);
  });
});

const binary = redisServerBinary();

/** A limiter over a Cluster client of `cluster`, with no bound on waiting (the tests bound it). */
function unboundedLimiterOn(cluster: OwnCluster) {
  const client = new Cluster(cluster.nodes, { lazyConnect: true });
  const limiter = createRateLimiter(
    resolveRateLimitOptions({ redis: { client, timeoutMs: 300 }, maxWaitMs: Number.POSITIVE_INFINITY }, 'sandbox'),
    'sandbox',
    () => {},
  );
  return { client, limiter };
}

/** Asks as a caller would (each try bounded by the limiter's timeoutMs) until a call runs or `ms` pass. */
async function runsWithin(limiter: ReturnType<typeof createRateLimiter>, itemId: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await limiter.schedule({ endpoint, itemId }, async () => true).catch(() => false)) return true;
  }
  return false;
}

describe.skipIf(!binary)('a Redis Cluster that stops answering', () => {
  let cluster: OwnCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('fails calls with RATE_LIMIT_REDIS_UNAVAILABLE within timeoutMs, and closes within a bound (frozen masters)', async () => {
    cluster = await OwnCluster.start(binary as string);
    const client = new Cluster(cluster.nodes, { lazyConnect: true });
    const timeoutMs = 300;
    const limiter = createRateLimiter(
      resolveRateLimitOptions({ redis: { client, timeoutMs } }, 'sandbox'),
      'sandbox',
      () => {},
    );
    try {
      await limiter.schedule({ endpoint, itemId: 'i1' }, async () => {});
      cluster.freeze();
      const startedAt = Date.now();
      const error = await limiter.schedule({ endpoint, itemId: 'i2' }, async () => {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true });
      expect(String((error as Error).message)).toContain('timeoutMs');
      // the bound holds (a generous margin for a busy machine; no offline queue, no endless wait)
      expect(Date.now() - startedAt).toBeLessThan(timeoutMs + 1_500);
      const closing = Date.now();
      await limiter.close();
      expect(Date.now() - closing).toBeLessThan(2 * timeoutMs + 1_500);
    } finally {
      cluster.thaw();
      client.disconnect();
    }
  }, 30_000);

  it('answers again once the masters are back: a call after the thaw succeeds, with no lease to wait out', async () => {
    cluster ??= await OwnCluster.start(binary as string);
    const { client, limiter } = unboundedLimiterOn(cluster);
    try {
      await limiter.schedule({ endpoint, itemId: 'r1' }, async () => {});
      cluster.freeze();
      // While it is away: typed and bounded; the slot taken before is settled later, not lost.
      await expect(limiter.schedule({ endpoint, itemId: 'r2' }, async () => {})).rejects.toMatchObject({
        code: 'RATE_LIMIT_REDIS_UNAVAILABLE',
      });
      cluster.thaw();
      // The bench measures the 2 s target on a quiet machine; here the bound only has to be far
      // below a lease (timeout + window).
      expect(await runsWithin(limiter, 'r3', 5_000)).toBe(true);
    } finally {
      cluster.thaw();
      await limiter.close();
      client.disconnect();
    }
  }, 30_000);

  it('killed and restarted (keys lost): calls fail typed while it is down, and run again once it is back', async () => {
    cluster ??= await OwnCluster.start(binary as string);
    const { client, limiter } = unboundedLimiterOn(cluster);
    try {
      await limiter.schedule({ endpoint, itemId: 'k1' }, async () => {});
      const restarted = cluster.killAndRestart(1_000);
      await expect(limiter.schedule({ endpoint, itemId: 'k2' }, async () => {})).rejects.toMatchObject({
        code: 'RATE_LIMIT_REDIS_UNAVAILABLE',
      });
      await restarted;
      expect(await runsWithin(limiter, 'k3', 10_000)).toBe(true);
    } finally {
      await limiter.close();
      client.disconnect();
    }
  }, 40_000);
});
