import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { EncryptedTokenStore } from '../../src/stores/encrypted.js';
import { MemoryTokenStore } from '../../src/stores/memory.js';
import { tokenStoreContract } from '../../src/testing/index.js';
import { newKey } from './keys.js';

describe('MemoryTokenStore: token store contract', () => {
  for (const c of tokenStoreContract(() => new MemoryTokenStore())) it(c.name, c.run);
});

describe('EncryptedTokenStore over MemoryTokenStore: token store contract', () => {
  const keys = [newKey('k1')];
  for (const c of tokenStoreContract(() => new EncryptedTokenStore({ store: new MemoryTokenStore(), keys }))) {
    it(c.name, c.run);
  }
});

describe('MemoryTokenStore used directly applies the id rule of every other store', () => {
  const store = new MemoryTokenStore();
  const item = (userId: string, itemId: string) => ({ userId, itemId, accessToken: 'access-1', createdAt: new Date() });
  it.each([
    ['a lone surrogate', '\uD800'],
    ['a NUL', 'a\u0000'],
    ['an empty id', ''],
    ['257 characters', 'x'.repeat(257)],
  ])('refuses %s in every method with InvalidArgumentError', async (_name, bad) => {
    await expect(store.set(item(bad, 'i'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.set(item('u', bad))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.get({ userId: bad, itemId: 'i' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.delete({ userId: 'u', itemId: bad })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.list(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.findByItemId(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await store.list('u')).toEqual([]);
  });
});
