import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, InvalidArgumentError, TokenStoreError } from '../../src/index.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { redisServerBinary } from '../rate-limit/own-redis.js';
import { stubRedisClient } from '../support/stub-redis-client.js';
import { type OwnRedisServer, startPrimaryAndReplica } from './own-redis-servers.js';

/*
 * `durability: { replicas, timeoutMs }`: a write counts as stored only once that many replicas
 * acknowledged it (`WAIT`). A primary and a replica of this test's own; the replica is frozen
 * (SIGSTOP) to make WAIT fall short. The shared server is never touched.
 */
const binary = redisServerBinary();
const createdAt = new Date('2025-01-02T03:04:05.006Z');
const token = 'access-sandbox-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

describe.skipIf(!binary)('RedisTokenStore with durability, a primary and a replica of its own', () => {
  let primary: OwnRedisServer;
  let replica: OwnRedisServer;
  let client: Redis;
  let replicaClient: Redis;

  beforeAll(async () => {
    ({ primary, replica } = await startPrimaryAndReplica(binary as string));
    client = new Redis(primary.url, { maxRetriesPerRequest: 1 });
    replicaClient = new Redis(replica.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    client.disconnect();
    replicaClient.disconnect();
    await replica.kill();
    await primary.kill();
  });

  it('a write returns once the replica holds it: record and index entry are on the replica', async () => {
    const store = new RedisTokenStore({ client, prefix: 'ok:', durability: { replicas: 1, timeoutMs: 2_000 } });
    await store.set({ userId: 'u1', itemId: 'item-1', accessToken: token, createdAt });
    // No wait here: WAIT already saw the replica acknowledge both writes.
    expect(await replicaClient.hget('ok:user:u1', 'item-1')).toContain(token);
    expect(await replicaClient.get('ok:item:item-1')).toBe('u1');
    await store.delete({ userId: 'u1', itemId: 'item-1' });
    expect(await replicaClient.exists('ok:user:u1', 'ok:item:item-1')).toBe(0);
  });

  it('a write the replica does not acknowledge in time fails typed, its outcome unknown', async () => {
    const store = new RedisTokenStore({ client, prefix: 'frozen:', durability: { replicas: 1, timeoutMs: 150 } });
    replica.freeze();
    try {
      const error = await store
        .set({ userId: 'u1', itemId: 'item-1', accessToken: token, createdAt })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenStoreError);
      expect(error).toMatchObject({
        code: 'TOKEN_STORE_NOT_REPLICATED',
        outcomeUnknown: true,
        retryable: true,
        itemId: 'item-1',
      });
      expect((error as Error).message).toMatch(/0 of 1 replicas/);
      expect((error as Error).message).not.toContain(token);
      // It reached the primary: that is why its outcome is unknown.
      expect(await client.hget('frozen:user:u1', 'item-1')).toContain(token);
    } finally {
      replica.thaw();
    }
  });

  it('asking for more replicas than there are fails every write; without durability the same write succeeds', async () => {
    const strict = new RedisTokenStore({ client, prefix: 'two:', durability: { replicas: 2, timeoutMs: 50 } });
    await expect(strict.set({ userId: 'u', itemId: 'i', accessToken: token, createdAt })).rejects.toMatchObject({
      code: 'TOKEN_STORE_NOT_REPLICATED',
    });
    await new RedisTokenStore({ client, prefix: 'two:' }).set({
      userId: 'u',
      itemId: 'i',
      accessToken: token,
      createdAt,
    });
  });

  it('exchange: a token write the replica never acknowledges is not counted as stored', async () => {
    const fake = createFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
    const server = await fake.listen();
    const plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: server.url,
      rateLimit: false,
      tokenStore: new RedisTokenStore({ client, prefix: 'exchange:', durability: { replicas: 1, timeoutMs: 100 } }),
    });
    replica.freeze();
    try {
      const error = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() }).catch((e) => e);
      expect(error).toBeInstanceOf(TokenStoreError);
      expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED' });
      expect((error as TokenStoreError).cause?.message).toMatch(/replicas acknowledged/);
    } finally {
      replica.thaw();
      await plaid.close();
      await server.close();
    }
  });
});

describe('RedisTokenStore durability options', () => {
  const client = stubRedisClient();

  it('refuses malformed durability, and durability with a client that has no pipeline()', () => {
    const pipeline = () => ({ exec: async () => [] });
    expect(() => new RedisTokenStore({ client, durability: { replicas: 1, timeoutMs: 100 } })).toThrow(/pipeline/);
    for (const durability of [
      { replicas: 0, timeoutMs: 100 },
      { replicas: 1, timeoutMs: 0 },
      { replicas: 1.5 },
      null,
    ]) {
      expect(() => new RedisTokenStore({ client: { ...client, pipeline }, durability: durability as never })).toThrow(
        InvalidArgumentError,
      );
    }
  });
});
