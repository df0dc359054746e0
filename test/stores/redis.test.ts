import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import { EncryptedTokenStore } from '../../src/stores/encrypted.js';
import { RedisTokenStore, type RedisTokenStoreClient } from '../../src/stores/redis.js';
import { tokenStoreContract } from '../../src/testing/index.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { serviceUrl } from '../support/services.js';
import { stubRedisClient } from '../support/stub-redis-client.js';
import { newKey } from './keys.js';

const url = serviceUrl('redis', 'RedisTokenStore');
const token = 'access-sandbox-2b8e4f6a-0c1d-4e2f-8a3b-fedcba987654';
const createdAt = new Date('2025-01-02T03:04:05.006Z');

describe.skipIf(!url)('RedisTokenStore against a real Redis', () => {
  let redis: Redis;
  // Every store gets its own prefix, so runs and cases never see each other's keys.
  const prefixes: string[] = [];
  const newPrefix = () => {
    const prefix = `pf-test:${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  };

  beforeAll(() => {
    redis = new Redis(url as string, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      await deleteKeysUnder(redis, prefix);
    }
    await redis.quit();
  });

  describe('token store contract', () => {
    for (const c of tokenStoreContract(() => new RedisTokenStore({ client: redis, prefix: newPrefix() }))) {
      it(c.name, c.run);
    }
  });

  describe('EncryptedTokenStore over RedisTokenStore: token store contract', () => {
    const keys = [newKey('k1')];
    const make = () =>
      new EncryptedTokenStore({ store: new RedisTokenStore({ client: redis, prefix: newPrefix() }), keys });
    for (const c of tokenStoreContract(make)) it(c.name, c.run);
  });

  it('keeps one hash per user, Item ids as fields, JSON values, ids percent-encoded, and one index key per Item', async () => {
    const prefix = newPrefix();
    const store = new RedisTokenStore({ client: redis, prefix });
    await store.set({ userId: 'a:b/c d', itemId: 'item:1', accessToken: token, institutionId: 'ins_1', createdAt });
    await store.set({ userId: 'a:b/c d', itemId: 'item-2', accessToken: token, createdAt });
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual([
      `${prefix}item:item%3A1`,
      `${prefix}item:item-2`,
      `${prefix}user:a%3Ab%2Fc%20d`,
    ]);
    expect(await redis.get(`${prefix}item:item%3A1`)).toBe('a:b/c d');
    expect(store.keyOf('a:b/c d')).toBe(`${prefix}user:a%3Ab%2Fc%20d`);
    expect(store.indexKeyOf('item:1')).toBe(`${prefix}item:item%3A1`);
    const hash = await redis.hgetall(`${prefix}user:a%3Ab%2Fc%20d`);
    expect(Object.keys(hash).sort()).toEqual(['item-2', 'item:1']);
    expect(JSON.parse(hash['item:1'] as string)).toEqual({
      v: 1,
      accessToken: token,
      institutionId: 'ins_1',
      createdAt: '2025-01-02T03:04:05.006Z',
    });
    // Health and accounts are part of the same JSON value.
    const health = { status: 'login_required' as const, since: createdAt, errorCode: 'ITEM_LOGIN_REQUIRED' };
    const accounts = [{ accountId: 'a1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking' }];
    await store.set({ userId: 'a:b/c d', itemId: 'item-2', accessToken: token, createdAt, health, accounts });
    expect(JSON.parse((await redis.hget(`${prefix}user:a%3Ab%2Fc%20d`, 'item-2')) as string)).toEqual({
      v: 1,
      accessToken: token,
      createdAt: '2025-01-02T03:04:05.006Z',
      health: { status: 'login_required', since: '2025-01-02T03:04:05.006Z', errorCode: 'ITEM_LOGIN_REQUIRED' },
      accounts,
    });
    // The last Item deleted leaves no empty key behind.
    await store.delete({ userId: 'a:b/c d', itemId: 'item:1' });
    await store.delete({ userId: 'a:b/c d', itemId: 'item-2' });
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('reads records written by 0.1 (no health, no index) and reindex() makes them findable by Item id', async () => {
    const prefix = newPrefix();
    // Exactly what 0.1's RedisTokenStore wrote.
    const legacy = JSON.stringify({
      v: 1,
      accessToken: token,
      institutionId: 'ins_1',
      createdAt: createdAt.toISOString(),
    });
    await redis.hset(`${prefix}user:u-legacy`, 'item-legacy', legacy);
    const store = new RedisTokenStore({ client: redis, prefix });
    expect(await store.get({ userId: 'u-legacy', itemId: 'item-legacy' })).toEqual({
      userId: 'u-legacy',
      itemId: 'item-legacy',
      accessToken: token,
      institutionId: 'ins_1',
      createdAt,
    });
    expect(await store.findByItemId('item-legacy')).toBeUndefined();
    expect(await store.reindex('u-legacy')).toBe(1);
    expect((await store.findByItemId('item-legacy'))?.userId).toBe('u-legacy');
    expect(await redis.exists(`${prefix}items`)).toBe(0);
  });

  describe('the 0.2 layout (one index hash of every Item): read both, write new, migrateIndex()', () => {
    // Exactly what 0.2's RedisTokenStore wrote for one Item: the user's hash and the index hash.
    async function write02(prefix: string, userId: string, itemId: string): Promise<void> {
      const value = JSON.stringify({ v: 1, accessToken: token, createdAt: createdAt.toISOString() });
      await redis.hset(`${prefix}user:${encodeURIComponent(userId)}`, itemId, value);
      await redis.hset(`${prefix}items`, itemId, userId);
    }

    it('finds, lists and deletes Items 0.2 wrote; new writes never touch the old hash', async () => {
      const prefix = newPrefix();
      await write02(prefix, 'u1', 'item-old');
      await write02(prefix, 'u1', 'item-old-2');
      const store = new RedisTokenStore({ client: redis, prefix });
      expect((await store.findByItemId('item-old'))?.userId).toBe('u1');
      expect((await store.list('u1')).map((item) => item.itemId).sort()).toEqual(['item-old', 'item-old-2']);
      await store.set({ userId: 'u2', itemId: 'item-new', accessToken: token, createdAt });
      expect(await redis.hkeys(`${prefix}items`)).toEqual(['item-old', 'item-old-2']);
      expect((await store.findByItemId('item-new'))?.userId).toBe('u2');
      // Deleting an Item 0.2 indexed takes it out of the old hash too.
      await store.delete({ userId: 'u1', itemId: 'item-old' });
      expect(await store.findByItemId('item-old')).toBeUndefined();
      expect(await redis.hkeys(`${prefix}items`)).toEqual(['item-old-2']);
      // With legacyIndex: false (after the migration) the old hash is not read at all.
      const migrated = new RedisTokenStore({ client: redis, prefix, legacyIndex: false });
      expect(await migrated.findByItemId('item-old-2')).toBeUndefined();
    });

    it('migrateIndex() moves every entry to its own key, keeps newer ones, drops stale ones, and removes the hash', async () => {
      const prefix = newPrefix();
      for (let i = 0; i < 25; i++) await write02(prefix, `user-${i % 5}`, `item-${i}`);
      // item-0 was since written by a 0.3 process for another user: its own key wins.
      const store = new RedisTokenStore({ client: redis, prefix });
      await store.set({ userId: 'user-new', itemId: 'item-0', accessToken: token, createdAt });
      // item-1's record was deleted by hand: its index entry is stale.
      await redis.hdel(`${prefix}user:user-1`, 'item-1');
      expect(await store.migrateIndex({ batchSize: 7 })).toEqual({ moved: 23, kept: 1, dropped: 1 });
      expect(await redis.exists(`${prefix}items`)).toBe(0);
      expect(await redis.get(`${prefix}item:item-0`)).toBe('user-new');
      expect(await redis.get(`${prefix}item:item-1`)).toBeNull();
      const migrated = new RedisTokenStore({ client: redis, prefix, legacyIndex: false });
      for (let i = 2; i < 25; i++) expect((await migrated.findByItemId(`item-${i}`))?.userId).toBe(`user-${i % 5}`);
      // Again: nothing left to move.
      expect(await store.migrateIndex()).toEqual({ moved: 0, kept: 0, dropped: 0 });
    });
  });

  it('rejects a record whose health is malformed, without quoting it', async () => {
    const prefix = newPrefix();
    const bad = JSON.stringify({
      v: 1,
      accessToken: token,
      createdAt: createdAt.toISOString(),
      health: { status: 'sad' },
    });
    await redis.hset(`${prefix}user:u`, 'item-1', bad);
    const error = await new RedisTokenStore({ client: redis, prefix })
      .get({ userId: 'u', itemId: 'item-1' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error.code).toBe('TOKEN_RECORD_INVALID');
    expect(inspect(error)).not.toContain(token);
  });

  it("uses 'plaid-facade:tokens:' as the default prefix", () => {
    expect(new RedisTokenStore({ client: redis }).keyOf('u')).toBe('plaid-facade:tokens:user:u');
  });

  it('lists with one HGETALL of the user’s hash, never a keyspace scan', async () => {
    const calls: string[] = [];
    const prefix = newPrefix();
    const store = new RedisTokenStore({ client: redis, prefix });
    await store.set({ userId: 'u', itemId: 'i', accessToken: token, createdAt });
    const monitor = await redis.monitor();
    // MONITOR sees every client of the server, and other suites may use it at the same time: keep
    // the commands that touch this test's keys, and every keyspace scan whoever sent it.
    // MONITOR reports commands in the order the server ran them: once it reports a marker sent after
    // list() settled, it has reported list()'s commands (waiting for it, not for a guessed time).
    const marker = `${prefix}:listed`;
    let markerSeen = false;
    monitor.on('monitor', (_time: string, args: string[]) => {
      const command = (args[0] ?? '').toLowerCase();
      if (args.includes(marker)) markerSeen = true;
      else if (command === 'scan' || command === 'keys' || args.some((arg) => arg.includes(prefix)))
        calls.push(command);
    });
    await store.list('u');
    await redis.echo(marker);
    await vi.waitFor(() => expect(markerSeen).toBe(true), { timeout: 5_000, interval: 5 });
    monitor.disconnect();
    expect(calls).toEqual(['hgetall']);
  });

  it('with EncryptedTokenStore, Redis never holds the plaintext token', async () => {
    const prefix = newPrefix();
    const store = new EncryptedTokenStore({
      store: new RedisTokenStore({ client: redis, prefix }),
      keys: [newKey('k1')],
    });
    await store.set({ userId: 'u1', itemId: 'i1', accessToken: token, createdAt });
    const hash = await redis.hgetall(`${prefix}user:u1`);
    expect(JSON.stringify(hash)).not.toContain(token);
    expect(JSON.parse(hash.i1 as string).accessToken).toMatch(/^pfenc:v1:k1:/);
    expect((await store.get({ userId: 'u1', itemId: 'i1' }))?.accessToken).toBe(token);
  });

  it('with EncryptedTokenStore, a value copied into another user’s hash does not decrypt', async () => {
    const prefix = newPrefix();
    const store = new EncryptedTokenStore({
      store: new RedisTokenStore({ client: redis, prefix }),
      keys: [newKey('k1')],
    });
    await store.set({ userId: 'victim', itemId: 'i1', accessToken: token, createdAt });
    const value = await redis.hget(`${prefix}user:victim`, 'i1');
    await redis.hset(`${prefix}user:attacker`, 'i1', value as string);
    const error = await store.get({ userId: 'attacker', itemId: 'i1' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as TokenStoreError).code).toBe('TOKEN_DECRYPT_FAILED');
    await expect(store.list('attacker')).rejects.toMatchObject({ code: 'TOKEN_DECRYPT_FAILED' });
  });

  it('with EncryptedTokenStore, reencrypt moves records to the new key in Redis', async () => {
    const prefix = newPrefix();
    const inner = new RedisTokenStore({ client: redis, prefix });
    const oldKey = newKey('old');
    await new EncryptedTokenStore({ store: inner, keys: [oldKey] }).set({
      userId: 'u',
      itemId: 'i',
      accessToken: token,
      createdAt,
    });
    const rotated = new EncryptedTokenStore({ store: inner, keys: [newKey('new'), oldKey] });
    expect(await rotated.reencrypt('u')).toEqual({ rewritten: 1, failed: [] });
    expect(JSON.parse((await redis.hget(`${prefix}user:u`, 'i')) as string).accessToken).toMatch(/^pfenc:v1:new:/);
  });

  it('turns a Redis failure into TokenStoreError (WRONGTYPE) and a corrupt value into TOKEN_RECORD_INVALID', async () => {
    const prefix = newPrefix();
    const store = new RedisTokenStore({ client: redis, prefix });
    await redis.set(`${prefix}user:u`, 'not a hash');
    const error = await store
      .set({ userId: 'u', itemId: 'i', accessToken: token, createdAt })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as TokenStoreError).message).toContain('WRONGTYPE');
    expect(inspect(error, { depth: 10 })).not.toContain(token);
    await redis.del(`${prefix}user:u`);
    await redis.hset(`${prefix}user:u`, 'i', `{"v":1,"accessToken":"${token}"`);
    const corrupt = await store.get({ userId: 'u', itemId: 'i' }).catch((reason: unknown) => reason);
    expect(corrupt).toMatchObject({ name: 'TokenStoreError', code: 'TOKEN_RECORD_INVALID' });
    expect(inspect(corrupt, { depth: 10 })).not.toContain(token);
  });
});

describe('RedisTokenStore without a server', () => {
  it('redacts the token from a client error that echoes the command', async () => {
    const client: RedisTokenStoreClient = {
      hget: async () => null,
      hgetall: async () => ({}),
      hdel: async () => 0,
      get: async () => null,
      set: async () => 'OK',
      del: async () => 0,
      hset: async (key, field, value) => {
        throw Object.assign(new Error(`ERR failed: HSET ${key} ${field} ${value}`), {
          command: { args: [key, field, value] },
        });
      },
    };
    const error = await new RedisTokenStore({ client })
      .set({ userId: 'u', itemId: 'i', accessToken: token, createdAt })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(`${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`).not.toContain(token);
    expect((error as TokenStoreError).message).toContain('[redacted]');
  });

  it('rejects a client without the hash commands and a non-string prefix', () => {
    expect(() => new RedisTokenStore({ client: {} as RedisTokenStoreClient })).toThrow(InvalidArgumentError);
    expect(() => new RedisTokenStore({ client: { hget: async () => null } as never })).toThrow(
      /hset, hdel, hgetall, get, set, del/,
    );
    const client = stubRedisClient();
    expect(() => new RedisTokenStore({ client, prefix: 5 as never })).toThrow(InvalidArgumentError);
  });

  it('rejects a user id that is not well-formed Unicode', async () => {
    const client = stubRedisClient();
    await expect(new RedisTokenStore({ client }).list('\uD800')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
