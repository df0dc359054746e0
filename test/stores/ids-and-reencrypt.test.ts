import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptedTokenStore, InvalidArgumentError, MemoryTokenStore, type StoredItem } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { stubRedisClient } from '../support/stub-redis-client.js';

const key = (id: string) => ({ id, key: randomBytes(32) });
const item = (fields: Partial<StoredItem> = {}): StoredItem => ({
  userId: 'user-1',
  itemId: 'item-1',
  accessToken: 'access-sandbox-1',
  createdAt: new Date(Date.UTC(2026, 0, 1)),
  ...fields,
});

describe('EncryptedTokenStore.reencrypt goes on past bad records', () => {
  it('rewrites every healthy record and reports the ones it cannot decrypt', async () => {
    const inner = new MemoryTokenStore();
    const lost = key('lost');
    const old = key('old');
    await new EncryptedTokenStore({ store: inner, keys: [old] }).set(item({ itemId: 'item-a' }));
    await new EncryptedTokenStore({ store: inner, keys: [lost] }).set(item({ itemId: 'item-b' }));
    await new EncryptedTokenStore({ store: inner, keys: [old] }).set(item({ itemId: 'item-c' }));
    await inner.set(item({ itemId: 'item-d', accessToken: 'pfenc:v1:old:garbage' }));

    const current = key('new');
    const rotating = new EncryptedTokenStore({ store: inner, keys: [current, old] });
    const result = await rotating.reencrypt('user-1');
    expect(result.rewritten).toBe(2);
    expect(
      result.failed.map(({ itemId, code }) => ({ itemId, code })).sort((a, b) => (a.itemId < b.itemId ? -1 : 1)),
    ).toEqual([
      { itemId: 'item-b', code: 'TOKEN_KEY_UNKNOWN' },
      { itemId: 'item-d', code: 'TOKEN_FORMAT_INVALID' },
    ]);
    expect(JSON.stringify(result.failed.map((f) => f.error.toJSON()))).not.toContain('access-sandbox-1');

    // The healthy records now read with the new key alone: the old one can go.
    const after = new EncryptedTokenStore({ store: inner, keys: [current] });
    expect((await after.get({ userId: 'user-1', itemId: 'item-a' }))?.accessToken).toBe('access-sandbox-1');
    expect((await after.get({ userId: 'user-1', itemId: 'item-c' }))?.accessToken).toBe('access-sandbox-1');

    // A record that cannot be decrypted can still be deleted.
    await after.delete({ userId: 'user-1', itemId: 'item-b' });
    expect(await inner.get({ userId: 'user-1', itemId: 'item-b' })).toBeUndefined();
  });

  it('reports a record the inner store fails to rewrite and goes on', async () => {
    const inner = new MemoryTokenStore();
    const old = key('old');
    for (const itemId of ['item-a', 'item-b', 'item-c']) {
      await new EncryptedTokenStore({ store: inner, keys: [old] }).set(item({ itemId }));
    }
    const flaky = {
      get: (k: { userId: string; itemId: string }) => inner.get(k),
      list: (u: string) => inner.list(u),
      delete: (k: { userId: string; itemId: string }) => inner.delete(k),
      set: async (stored: StoredItem) => {
        if (stored.itemId === 'item-a') throw new Error('disk full');
        await inner.set(stored);
      },
    };
    const result = await new EncryptedTokenStore({ store: flaky, keys: [key('new'), old] }).reencrypt('user-1');
    expect(result.rewritten).toBe(2);
    expect(result.failed.map((f) => [f.itemId, f.code])).toEqual([['item-a', 'TOKEN_STORE_ERROR']]);
  });
});

describe('every shipped store refuses ids it could not keep exactly', () => {
  const redis = new RedisTokenStore({ client: stubRedisClient() });
  const postgres = new PostgresTokenStore({ pool: { query: async () => ({ rows: [] }) } });
  const encrypted = new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: [key('k')] });

  it.each([
    ['a lone high surrogate', 'user-\uD800'],
    ['a lone low surrogate', 'user-\uDC00'],
    ['a NUL', 'user-\u0000'],
    ['a line feed', 'user-\n'],
    ['a C1 control', 'user-\u0085'],
    ['a 257-character id', 'u'.repeat(257)],
  ])('%s', async (_name, bad) => {
    for (const store of [redis, postgres, encrypted]) {
      await expect(store.set(item({ userId: bad }))).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(store.set(item({ itemId: bad }))).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(store.get({ userId: bad, itemId: 'i' })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(store.delete({ userId: 'u', itemId: bad })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(store.list(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
  });

  it('EncryptedTokenStore: user B (another lone surrogate) never reads user A', async () => {
    // Both ids would be U+FFFD once encoded as UTF-8, so the bound ids would match.
    const inner = new MemoryTokenStore();
    const store = new EncryptedTokenStore({ store: inner, keys: [key('k')] });
    await expect(store.set(item({ userId: 'user-\uD800' }))).rejects.toBeInstanceOf(InvalidArgumentError);
    // Nothing reached the inner store (which, as every shipped store, refuses such an id itself).
    expect(await inner.findByItemId('item-1')).toBeUndefined();
    await expect(inner.list('user-\uD800')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.get({ userId: 'user-\uDBFF', itemId: 'item-1' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
