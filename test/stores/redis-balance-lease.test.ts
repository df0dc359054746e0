import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, EncryptedTokenStore, MemoryTokenStore, type PlaidFacade } from '../../src/index.js';
import { RedisBalanceCache, type RedisBalanceCacheClient } from '../../src/stores/redis.js';
import { createFakePlaid, type FakePlaid } from '../../src/testing/index.js';
import { redisServerBinary } from '../rate-limit/own-redis.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { redisClusterNodes, serviceUrl } from '../support/services.js';
import { type OwnRedisServer, OwnRedisServer as Server, until } from './own-redis-servers.js';

/*
 * Coalescing across processes: each facade stands for one process (its own single-flight), and all
 * share one RedisBalanceCache prefix. Identical reads under way in several of them make one billed
 * call; a holder that fails or dies, a slow Redis or an aborted wait each end in a live read.
 */
const url = serviceUrl('redis', 'RedisBalanceCache lease');
const clusterNodes = redisClusterNodes('RedisBalanceCache lease on a Redis Cluster');
const binary = redisServerBinary();

interface Fleet {
  fake: FakePlaid;
  facades: PlaidFacade[];
  itemId: string;
  close(): Promise<void>;
}

/** `processes` facades over one fake Plaid (answering in `latencyMs`) and one cache client. */
async function fleet(
  client: RedisBalanceCacheClient,
  prefix: string,
  processes: number,
  options: { coalesce?: boolean; latencyMs?: number } = {},
): Promise<Fleet> {
  const fake = createFakePlaid({ latencyMs: options.latencyMs ?? 150 });
  const server = await fake.listen();
  const tokenStore = new MemoryTokenStore();
  const facades = Array.from({ length: processes }, () =>
    createPlaidFacade({
      clientId: 'id',
      secret: 'secret',
      basePath: server.url,
      rateLimit: false,
      tokenStore,
      balanceCache: new RedisBalanceCache({
        client,
        prefix,
        ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
      }),
    }),
  );
  const { itemId } = await (facades[0] as PlaidFacade).exchange({
    userId: 'u1',
    publicToken: fake.createPublicToken(),
  });
  return {
    fake,
    facades,
    itemId,
    close: async () => {
      await Promise.all(facades.map((facade) => facade.close()));
      await server.close();
    },
  };
}

/** Every facade makes `perProcess` reads of the Item at once, with maxAgeMs. */
function readTogether(f: Fleet, perProcess: number) {
  return Promise.all(
    f.facades.flatMap((facade) =>
      Array.from({ length: perProcess }, () =>
        facade.getBalances({ userId: 'u1', itemId: f.itemId, maxAgeMs: 60_000 }),
      ),
    ),
  );
}

describe.skipIf(!url)('RedisBalanceCache lease against a real Redis', () => {
  let redis: Redis;
  const prefix = `pf-test:lease:${randomUUID()}:`;
  beforeAll(() => {
    redis = new Redis(url as string, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });

  it('4 processes × 2 concurrent reads of one Item make one billed call, every read answered', async () => {
    const f = await fleet(redis, `${prefix}a:`, 4);
    try {
      const reads = await readTogether(f, 2);
      expect(f.fake.billedCalls).toBe(1);
      expect(new Set(reads.map((read) => read.requestId)).size).toBe(1);
      expect(reads.filter((read) => read.source === 'live').length).toBe(2); // the holder's process
      const leaseKey = `${new RedisBalanceCache({ client: redis, prefix: `${prefix}a:` }).keyOf(`u1:${f.itemId}:*:-`)}:lease`;
      expect(await redis.exists(leaseKey.slice(0, -':lease'.length))).toBe(1); // the entry, under the same tag
      expect(await redis.exists(leaseKey)).toBe(0); // released
    } finally {
      await f.close();
    }
  });

  it('with coalesce: false each process reads live (the control)', async () => {
    const f = await fleet(redis, `${prefix}b:`, 4, { coalesce: false });
    try {
      await readTogether(f, 2);
      expect(f.fake.billedCalls).toBe(4);
    } finally {
      await f.close();
    }
  });

  it("a holder's failed read frees the others at once: they read live, none fails", async () => {
    const f = await fleet(redis, `${prefix}c:`, 2);
    try {
      f.fake.failNext('/accounts/balance/get', 'INTERNAL_SERVER_ERROR');
      const [first, second] = f.facades as [PlaidFacade, PlaidFacade];
      // Retries off for the holder, so its read fails on the fault.
      const holder = first
        .getBalances({ userId: 'u1', itemId: f.itemId, maxAgeMs: 60_000 }, { retry: { retries: 0 } })
        .catch((e: unknown) => e);
      // The follower starts once the holder's lease is there.
      const leaseKey = `${new RedisBalanceCache({ client: redis, prefix: `${prefix}c:` }).keyOf(`u1:${f.itemId}:*:-`)}:lease`;
      await until(async () => (await redis.exists(leaseKey)) === 1, 'the holder takes the lease');
      const follower = second.getBalances({ userId: 'u1', itemId: f.itemId, maxAgeMs: 60_000 });
      expect(await holder).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
      expect((await follower).source).toBe('live');
      expect(f.fake.billedCalls).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('a holder that died (its lease never renewed) delays a read only until the lease expires', async () => {
    const f = await fleet(redis, `${prefix}d:`, 1, { latencyMs: 0 });
    try {
      const cache = new RedisBalanceCache({ client: redis, prefix: `${prefix}d:` });
      await redis.set(`${cache.keyOf(`u1:${f.itemId}:*:-`)}:lease`, 'dead-holder', 'PX', 300);
      const read = await f.facades[0]?.getBalances({ userId: 'u1', itemId: f.itemId, maxAgeMs: 60_000 });
      expect(read?.source).toBe('live');
      expect(f.fake.billedCalls).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('a wait ends when the reader’s signal aborts', async () => {
    const cache = new RedisBalanceCache({ client: redis, prefix: `${prefix}e:` });
    const held = await cache.lease('k', { ttlMs: 10_000, waitMs: 10_000 });
    expect(held.held).toBe(true);
    const controller = new AbortController();
    const waiting = cache.lease('k', { ttlMs: 10_000, waitMs: 10_000, signal: controller.signal });
    controller.abort();
    expect(await waiting).toEqual({ held: false, value: undefined });
    if (held.held) await held.release();
    expect(await redis.exists(`${cache.keyOf('k')}:lease`)).toBe(0);
  });
});

describe.skipIf(!binary)('RedisBalanceCache lease when Redis is frozen (a server of its own)', () => {
  let own: OwnRedisServer;
  let client: Redis;
  beforeAll(async () => {
    own = await Server.start(binary as string);
    client = new Redis(own.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => {});
  });
  afterAll(async () => {
    client.disconnect();
    await own.kill();
  });

  it('taking a lease, or waiting on one, from a frozen Redis answers "read live" within the command bound', async () => {
    const cache = new RedisBalanceCache({ client, leaseCommandTimeoutMs: 100 });
    const holder = await cache.lease('k', { ttlMs: 60_000, waitMs: 60_000 });
    expect(holder.held).toBe(true);
    own.freeze();
    try {
      const started = Date.now();
      expect(await cache.lease('other', { ttlMs: 60_000, waitMs: 60_000 })).toEqual({ held: false, value: undefined });
      expect(await cache.lease('k', { ttlMs: 60_000, waitMs: 60_000 })).toEqual({ held: false, value: undefined });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      own.thaw();
      if (holder.held) await holder.release();
    }
  });
});

describe.skipIf(!clusterNodes)('RedisBalanceCache lease on a Redis Cluster', () => {
  it('coalesces across processes through a Cluster client (entry and lease in one slot)', async () => {
    const cluster = new Cluster(clusterNodes ?? [], { redisOptions: { maxRetriesPerRequest: 1 } });
    const prefix = `pf-test:lease-cluster:${randomUUID()}:`;
    const f = await fleet(cluster, prefix, 3);
    try {
      await readTogether(f, 2);
      expect(f.fake.billedCalls).toBe(1);
      const cache = new RedisBalanceCache({ client: cluster, prefix });
      expect((await cache.get(`u1:${f.itemId}:*:-`))?.itemId).toBe(f.itemId);
    } finally {
      await f.close();
      for (const node of cluster.nodes('master')) {
        for (const key of await node.keys(`${prefix}*`)) await node.del(key);
      }
      await cluster.quit();
    }
  });
});

describe.skipIf(!url)('RedisBalanceCache encryption with the token store’s keys', () => {
  const keys = [{ id: 'k1', key: Buffer.alloc(32, 7) }];
  it('encrypts entries when the facade’s store is an EncryptedTokenStore; other keys or none read a miss', async () => {
    const redis = new Redis(url as string, { maxRetriesPerRequest: 1 });
    const prefix = `pf-test:sealed:${randomUUID()}:`;
    const fake = createFakePlaid();
    const server = await fake.listen();
    const inner = new MemoryTokenStore();
    const make = (tokenStore: MemoryTokenStore | EncryptedTokenStore, encryption?: false) =>
      createPlaidFacade({
        clientId: 'id',
        secret: 'secret',
        basePath: server.url,
        rateLimit: false,
        tokenStore,
        balanceCache: new RedisBalanceCache({ client: redis, prefix, ...(encryption === false ? { encryption } : {}) }),
      });
    const sealed = make(new EncryptedTokenStore({ store: inner, keys }));
    const sameKeys = make(new EncryptedTokenStore({ store: inner, keys }));
    try {
      const { itemId } = await sealed.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
      const live = await sealed.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
      const key = new RedisBalanceCache({ client: redis, prefix }).keyOf(`u1:${itemId}:*:-`);
      const stored = (await redis.get(key)) as string;
      expect(stored).toMatch(/^pfenc:v1:k1:/);
      expect(stored).not.toContain(live.accounts[0]?.name as string);
      expect(stored).not.toContain(live.accounts[0]?.accountId as string);
      expect(await sameKeys.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).toEqual({
        ...live,
        source: 'cache',
      });
      // A cache with other keys, or none, cannot open the entry: a miss.
      const cache = new RedisBalanceCache({
        client: redis,
        prefix,
        encryption: { keys: [{ id: 'k1', key: Buffer.alloc(32, 9) }] },
      });
      expect(cache.encrypted).toBe(true);
      expect(await cache.get(`u1:${itemId}:*:-`)).toBeUndefined();
      expect(
        await new RedisBalanceCache({ client: redis, prefix, encryption: false }).get(`u1:${itemId}:*:-`),
      ).toBeUndefined();
      expect(fake.billedCalls).toBe(1);
      // A plain entry (anyone who can write to Redis) is not served by an encrypting cache.
      await redis.set(key, JSON.stringify({ v: 1, ...live, accounts: [] }), 'PX', 60_000);
      expect((await sameKeys.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).source).toBe('live');
    } finally {
      await Promise.all([sealed.close(), sameKeys.close()]);
      await server.close();
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    }
  });

  it('encryption: false keeps plain JSON even with an EncryptedTokenStore', async () => {
    const redis = new Redis(url as string, { maxRetriesPerRequest: 1 });
    const prefix = `pf-test:plain:${randomUUID()}:`;
    try {
      const store = new EncryptedTokenStore({ store: new MemoryTokenStore(), keys });
      const plain = new RedisBalanceCache({ client: redis, prefix, encryption: false }).forTokenStore(store);
      const auto = new RedisBalanceCache({ client: redis, prefix }).forTokenStore(store);
      expect((plain as RedisBalanceCache).encrypted).toBe(false);
      expect((auto as RedisBalanceCache).encrypted).toBe(true);
      expect(
        (new RedisBalanceCache({ client: redis, prefix }).forTokenStore(new MemoryTokenStore()) as RedisBalanceCache)
          .encrypted,
      ).toBe(false);
    } finally {
      await redis.quit();
    }
  });
});
