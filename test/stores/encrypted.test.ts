import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import { EncryptedTokenStore, type EncryptionKey } from '../../src/stores/encrypted.js';
import { MemoryTokenStore } from '../../src/stores/memory.js';
import type { StoredItem, TokenStore } from '../../src/stores/token-store.js';
import { newKey } from './keys.js';

const token = 'access-sandbox-6f1c2a9e-4b7d-4e0f-9c55-0123456789ab';

function item(fields: Partial<StoredItem> = {}): StoredItem {
  return {
    userId: 'user-1',
    itemId: 'item-1',
    accessToken: token,
    institutionId: 'ins_1',
    createdAt: new Date('2025-03-04T05:06:07.089Z'),
    ...fields,
  };
}

function setup(keys: EncryptionKey[] = [newKey('k1')]) {
  const inner = new MemoryTokenStore();
  return { inner, keys, store: new EncryptedTokenStore({ store: inner, keys }) };
}

async function raw(inner: TokenStore, userId = 'user-1', itemId = 'item-1'): Promise<StoredItem> {
  const record = await inner.get({ userId, itemId });
  if (!record) throw new Error('no raw record');
  return record;
}

/** The rejection of `promise`, checked to be a TokenStoreError that does not leak the token. */
async function storeError(promise: Promise<unknown>): Promise<TokenStoreError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenStoreError);
  const text = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).message}`;
  expect(text).not.toContain(token);
  return error as TokenStoreError;
}

describe('EncryptedTokenStore: what is stored', () => {
  it('stores the token only as pfenc:v1 ciphertext, other fields as they are', async () => {
    const { inner, store } = setup();
    await store.set(item());
    const record = await raw(inner);
    expect(record.accessToken).toMatch(/^pfenc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(record)).not.toContain(token);
    expect(JSON.stringify(record)).not.toContain(Buffer.from(token).toString('base64url').slice(0, 12));
    expect(record).toMatchObject({ userId: 'user-1', itemId: 'item-1', institutionId: 'ins_1' });
    expect(await store.get({ userId: 'user-1', itemId: 'item-1' })).toEqual(item());
  });

  it('uses a fresh IV per write: the same token twice gives different records', async () => {
    const { inner, store } = setup();
    await store.set(item());
    const first = (await raw(inner)).accessToken;
    await store.set(item());
    const second = (await raw(inner)).accessToken;
    expect(second).not.toBe(first);
    expect(first.split(':')[3]).not.toBe(second.split(':')[3]);
  });

  it('does not change the object passed to set', async () => {
    const { store } = setup();
    const written = item();
    await store.set(written);
    expect(written.accessToken).toBe(token);
  });
});

describe('EncryptedTokenStore: records that must not decrypt', () => {
  it('fails when the ciphertext, tag or IV is changed', async () => {
    const { inner, store } = setup();
    await store.set(item());
    const original = (await raw(inner)).accessToken;
    for (const part of [3, 4, 5]) {
      const parts = original.split(':');
      const bytes = Buffer.from(parts[part] as string, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      parts[part] = bytes.toString('base64url');
      await inner.set({ ...(await raw(inner)), accessToken: parts.join(':') });
      const error = await storeError(store.get({ userId: 'user-1', itemId: 'item-1' }));
      expect(error.code).toBe('TOKEN_DECRYPT_FAILED');
      expect(error.itemId).toBe('item-1');
      expect(error.message).not.toContain(parts[5]);
    }
  });

  it('fails when a record is moved to another user, or to another Item of the same user', async () => {
    const { inner, store } = setup();
    await store.set(item());
    const record = await raw(inner);
    await inner.set({ ...record, userId: 'user-2' });
    expect((await storeError(store.get({ userId: 'user-2', itemId: 'item-1' }))).code).toBe('TOKEN_DECRYPT_FAILED');
    expect((await storeError(store.list('user-2'))).code).toBe('TOKEN_DECRYPT_FAILED');
    await inner.set({ ...record, itemId: 'item-2' });
    expect((await storeError(store.get({ userId: 'user-1', itemId: 'item-2' }))).code).toBe('TOKEN_DECRYPT_FAILED');
    // The untouched original still reads.
    expect((await store.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
  });

  it.each([
    [
      ['a:b', 'c'],
      ['a', 'b:c'],
    ],
    [
      ['ab', 'c'],
      ['a', 'bc'],
    ],
    [
      ['a\u{1F600}', 'b'],
      ['a', '\u{1F600}b'],
    ],
  ])('binds ids unambiguously: %j cannot be read as %j', async ([fromUser, fromItem], [toUser, toItem]) => {
    const { inner, store } = setup();
    await store.set(item({ userId: fromUser, itemId: fromItem }));
    await inner.set({ ...(await raw(inner, fromUser, fromItem)), userId: toUser as string, itemId: toItem as string });
    expect((await storeError(store.get({ userId: toUser as string, itemId: toItem as string }))).code).toBe(
      'TOKEN_DECRYPT_FAILED',
    );
  });

  it('fails with TOKEN_NOT_ENCRYPTED on a plaintext record, naming no token', async () => {
    const { inner, store } = setup();
    await inner.set(item());
    const error = await storeError(store.get({ userId: 'user-1', itemId: 'item-1' }));
    expect(error.code).toBe('TOKEN_NOT_ENCRYPTED');
    expect(error.message).toContain('user-1');
  });

  it('fails with TOKEN_KEY_UNKNOWN for a key that is not listed', async () => {
    const { inner, store } = setup([newKey('k1')]);
    await store.set(item());
    const other = new EncryptedTokenStore({ store: inner, keys: [newKey('k2')] });
    const error = await storeError(other.get({ userId: 'user-1', itemId: 'item-1' }));
    expect(error.code).toBe('TOKEN_KEY_UNKNOWN');
    expect(error.message).toContain('"k1"');
  });

  it('fails with TOKEN_DECRYPT_FAILED when a different key has the same id', async () => {
    const { inner, store } = setup([newKey('k1')]);
    await store.set(item());
    const impostor = new EncryptedTokenStore({ store: inner, keys: [newKey('k1')] });
    expect((await storeError(impostor.get({ userId: 'user-1', itemId: 'item-1' }))).code).toBe('TOKEN_DECRYPT_FAILED');
  });

  it('fails with TOKEN_FORMAT_INVALID on malformed records', async () => {
    const { inner, store } = setup();
    for (const accessToken of [
      'pfenc:v2:k1:a:b:c',
      'pfenc:v1:k1:short',
      'pfenc:v1:k1:!!:AAAA:AAAA',
      'pfenc:v1:k1:AAAA:AAAA:AAAA',
    ]) {
      await inner.set(item({ accessToken }));
      expect((await storeError(store.get({ userId: 'user-1', itemId: 'item-1' }))).code).toBe('TOKEN_FORMAT_INVALID');
    }
  });
});

describe('EncryptedTokenStore: key rotation', () => {
  it('reads old records with the old key, reencrypt moves them to the new key, then the old key can go', async () => {
    const oldKey = newKey('2024');
    const newer = newKey('2025');
    const inner = new MemoryTokenStore();
    const before = new EncryptedTokenStore({ store: inner, keys: [oldKey] });
    await before.set(item({ itemId: 'item-1' }));
    await before.set(item({ itemId: 'item-2', accessToken: `${token}-2` }));
    await before.set(item({ userId: 'user-2', itemId: 'item-1' }));

    const rotating = new EncryptedTokenStore({ store: inner, keys: [newer, oldKey] });
    expect(rotating.currentKeyId).toBe('2025');
    expect((await rotating.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
    await rotating.set(item({ itemId: 'item-3' })); // new writes use the new key at once

    expect(await rotating.reencrypt('user-1')).toEqual({ rewritten: 2, failed: [] });
    expect(await rotating.reencrypt('user-1')).toEqual({ rewritten: 0, failed: [] });
    for (const record of await inner.list('user-1')) expect(record.accessToken.startsWith('pfenc:v1:2025:')).toBe(true);
    // reencrypt touched only the user it was asked about.
    expect((await raw(inner, 'user-2')).accessToken.startsWith('pfenc:v1:2024:')).toBe(true);

    const after = new EncryptedTokenStore({ store: inner, keys: [newer] });
    const tokens = (await after.list('user-1')).map((stored) => stored.accessToken).sort();
    expect(tokens).toEqual([token, `${token}-2`, token].sort());
    // Proof the records really moved: the old key alone no longer reads them.
    const oldOnly = new EncryptedTokenStore({ store: inner, keys: [oldKey] });
    expect((await storeError(oldOnly.get({ userId: 'user-1', itemId: 'item-1' }))).code).toBe('TOKEN_KEY_UNKNOWN');
    expect((await storeError(after.get({ userId: 'user-2', itemId: 'item-1' }))).code).toBe('TOKEN_KEY_UNKNOWN');
  });

  it('keeps createdAt and institutionId through reencrypt', async () => {
    const oldKey = newKey('old');
    const inner = new MemoryTokenStore();
    await new EncryptedTokenStore({ store: inner, keys: [oldKey] }).set(item({ institutionId: undefined }));
    const rotating = new EncryptedTokenStore({ store: inner, keys: [newKey('new'), oldKey] });
    await rotating.reencrypt('user-1');
    expect(await rotating.get({ userId: 'user-1', itemId: 'item-1' })).toEqual(item({ institutionId: undefined }));
  });

  it('with allowPlaintext, reads plaintext records and reencrypt encrypts them', async () => {
    const inner = new MemoryTokenStore();
    await inner.set(item());
    const keys = [newKey('k1')];
    const migrating = new EncryptedTokenStore({ store: inner, keys, allowPlaintext: true });
    expect((await migrating.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
    expect(await migrating.reencrypt('user-1')).toEqual({ rewritten: 1, failed: [] });
    expect((await raw(inner)).accessToken.startsWith('pfenc:v1:k1:')).toBe(true);
    const strict = new EncryptedTokenStore({ store: inner, keys });
    expect((await strict.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
  });
});

describe('EncryptedTokenStore: keys', () => {
  const bytes = randomBytes(32);

  it('accepts a Buffer, a Uint8Array, base64 and base64url text of the same 32 bytes alike', async () => {
    const inner = new MemoryTokenStore();
    await new EncryptedTokenStore({ store: inner, keys: [{ id: 'k', key: bytes }] }).set(item());
    for (const key of [new Uint8Array(bytes), bytes.toString('base64'), bytes.toString('base64url')]) {
      const store = new EncryptedTokenStore({ store: inner, keys: [{ id: 'k', key }] });
      expect((await store.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
    }
  });

  it('copies the key: zeroing the caller’s buffer afterwards changes nothing', async () => {
    const key = Buffer.from(bytes);
    const store = new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: [{ id: 'k', key }] });
    await store.set(item());
    key.fill(0);
    expect((await store.get({ userId: 'user-1', itemId: 'item-1' }))?.accessToken).toBe(token);
  });

  it.each([
    ['an empty key list', []],
    ['a 31-byte key', [{ id: 'k', key: randomBytes(31) }]],
    ['a 33-byte key', [{ id: 'k', key: randomBytes(33) }]],
    ['a 16-byte base64 key', [{ id: 'k', key: randomBytes(16).toString('base64') }]],
    ['text that is not base64', [{ id: 'k', key: `${bytes.toString('base64').slice(0, 40)}!!!!` }]],
    ['a hex key (64 chars)', [{ id: 'k', key: bytes.toString('hex') }]],
    [
      'duplicate key ids',
      [
        { id: 'k', key: bytes },
        { id: 'k', key: randomBytes(32) },
      ],
    ],
    ['an id with a colon', [{ id: 'k:1', key: bytes }]],
    ['an empty id', [{ id: '', key: bytes }]],
    ['a missing key', [{ id: 'k' }]],
  ])('rejects %s with InvalidArgumentError, quoting no key', (_, keys) => {
    const attempt = () => new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: keys as EncryptionKey[] });
    expect(attempt).toThrow(InvalidArgumentError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidArgumentError).issues.length).toBeGreaterThan(0);
      const text = `${inspect(error)} ${JSON.stringify(error)}`;
      expect(text).not.toContain(bytes.toString('base64').slice(0, 20));
      expect(text).not.toContain(bytes.toString('hex').slice(0, 20));
    }
  });

  it('rejects a missing inner store', () => {
    expect(() => new EncryptedTokenStore({ keys: [newKey('k')] } as never)).toThrow(InvalidArgumentError);
  });

  it('never shows key material in util.inspect of the store', () => {
    const key = newKey('k');
    const store = new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: [key] });
    const text = inspect(store, { depth: 10, showHidden: true });
    expect(text).not.toContain(key.key.toString('hex').slice(0, 16));
    expect(text).not.toContain(key.key.toString('base64').slice(0, 16));
  });
});

describe('EncryptedTokenStore: failures of the inner store', () => {
  // Shaped like an ioredis ReplyError, which carries the command and its arguments.
  class DriverError extends Error {
    readonly command: { name: string; args: string[] };
    readonly code = 'EDRIVER';
    constructor(args: string[]) {
      super(`ERR something failed for ${args.join(' ')}`);
      this.command = { name: 'hset', args };
    }
  }

  function failing(): TokenStore {
    const fail = async (value: unknown): Promise<never> => {
      throw new DriverError([JSON.stringify(value)]);
    };
    return { get: fail, set: fail, delete: fail, list: fail };
  }

  it('wraps them in TokenStoreError with a cause that keeps only name, message and code', async () => {
    const store = new EncryptedTokenStore({ store: failing(), keys: [newKey('k')] });
    for (const promise of [
      store.set(item()),
      store.get({ userId: 'user-1', itemId: 'item-1' }),
      store.delete({ userId: 'user-1', itemId: 'item-1' }),
      store.list('user-1'),
      store.reencrypt('user-1'),
    ]) {
      const error = await storeError(promise);
      expect(error.code).toBe('TOKEN_STORE_ERROR');
      expect(error.cause?.code).toBe('EDRIVER');
      expect(error.cause).not.toHaveProperty('command');
    }
  });

  it('passes a TokenStoreError of the inner store through as it is', async () => {
    const original = new TokenStoreError('inner says no', { code: 'INNER' });
    const inner: TokenStore = { ...failing(), get: async () => Promise.reject(original) };
    const store = new EncryptedTokenStore({ store: inner, keys: [newKey('k')] });
    await expect(store.get({ userId: 'u', itemId: 'i' })).rejects.toBe(original);
  });
});
