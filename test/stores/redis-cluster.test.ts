import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedTokenStore } from '../../src/stores/encrypted.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { tokenStoreContract } from '../../src/testing/index.js';
import { redisClusterNodes } from '../support/services.js';
import { newKey } from './keys.js';

/*
 * RedisTokenStore on an ioredis `Cluster` of 3 masters: every command names one key, so nothing is
 * refused with CROSSSLOT, and a user's hash and the Items' index keys spread over the shards.
 */
const nodes = redisClusterNodes('RedisTokenStore on a Redis Cluster');
const token = 'access-sandbox-9a8b7c6d-5e4f-3a2b-1c0d-fedcba987654';
const createdAt = new Date('2025-01-02T03:04:05.006Z');

describe.skipIf(!nodes)('RedisTokenStore on a Redis Cluster', () => {
  let cluster: Cluster;
  const run = `pf-test-cluster:${randomUUID()}:`;
  let count = 0;
  const newPrefix = () => `${run}${count++}:`;

  beforeAll(() => {
    cluster = new Cluster(nodes ?? [], { redisOptions: { maxRetriesPerRequest: 1 } });
  });
  afterAll(async () => {
    for (const node of cluster.nodes('master')) {
      const keys = await node.keys(`${run}*`);
      for (const key of keys) await node.del(key);
    }
    await cluster.quit();
  });

  describe('token store contract', () => {
    for (const c of tokenStoreContract(() => new RedisTokenStore({ client: cluster, prefix: newPrefix() }))) {
      it(c.name, c.run);
    }
  });

  describe('EncryptedTokenStore over RedisTokenStore: token store contract', () => {
    const keys = [newKey('k1')];
    const make = () =>
      new EncryptedTokenStore({ store: new RedisTokenStore({ client: cluster, prefix: newPrefix() }), keys });
    for (const c of tokenStoreContract(make)) it(c.name, c.run);
  });

  it('spreads the index over the shards: no key of every Item on one node', async () => {
    const prefix = newPrefix();
    const store = new RedisTokenStore({ client: cluster, prefix });
    for (let i = 0; i < 30; i++)
      await store.set({ userId: `u${i % 3}`, itemId: `item-${i}`, accessToken: token, createdAt });
    const perNode = await Promise.all(
      cluster.nodes('master').map(async (node) => (await node.keys(`${prefix}item:*`)).length),
    );
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(30);
    expect(perNode.filter((n) => n > 0).length).toBe(3);
    expect((await store.findByItemId('item-7'))?.userId).toBe('u1');
  });

  it('migrateIndex() and durability work through a Cluster client', async () => {
    const prefix = newPrefix();
    await cluster.hset(`${prefix}user:u1`, 'item-old', JSON.stringify({ v: 1, accessToken: token, createdAt }));
    await cluster.hset(`${prefix}items`, 'item-old', 'u1');
    const store = new RedisTokenStore({ client: cluster, prefix });
    expect(await store.migrateIndex()).toEqual({ moved: 1, kept: 0, dropped: 0 });
    expect((await store.findByItemId('item-old'))?.userId).toBe('u1');
    // WAIT goes with the write to the node that holds the key; these masters have no replica.
    const durable = new RedisTokenStore({ client: cluster, prefix, durability: { replicas: 1, timeoutMs: 20 } });
    await expect(durable.set({ userId: 'u2', itemId: 'i', accessToken: token, createdAt })).rejects.toMatchObject({
      code: 'TOKEN_STORE_NOT_REPLICATED',
      outcomeUnknown: true,
    });
  });
});
