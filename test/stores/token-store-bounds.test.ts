import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  EncryptedTokenStore,
  InvalidArgumentError,
  MemoryTokenStore,
  type PlaidFacadeEvent,
  type PlaidFacadeOptions,
  type StoredItem,
  type TokenStore,
  TokenStoreError,
} from '../../src/index.js';
import { useFakePlaid } from '../support/fake-facades.js';

// Every token-store call has a bound: a store that never answers counts as failed, so no call
// hangs, and a fresh access token is never left only in memory.
const served = useFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
const { fake } = served;

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** A memory store whose chosen methods never settle; counts the calls to each. */
function hangingStore(hang: ReadonlyArray<keyof TokenStore>) {
  const inner = new MemoryTokenStore();
  const calls: Record<string, number> = {};
  const store: TokenStore = {
    get: (key) => track('get', () => inner.get(key)),
    set: (item) => track('set', () => inner.set(item)),
    delete: (key) => track('delete', () => inner.delete(key)),
    list: (userId) => track('list', () => inner.list(userId)),
  };
  function track<T>(name: keyof TokenStore, run: () => Promise<T>): Promise<T> {
    calls[name] = (calls[name] ?? 0) + 1;
    return hang.includes(name) ? never<T>() : run();
  }
  return { store, inner, calls };
}

function facade(tokenStore: TokenStore, extra: Partial<PlaidFacadeOptions> = {}) {
  return createPlaidFacade({
    clientId: 'id',
    secret: 'secret-xyz-123',
    basePath: served.url,
    tokenStore,
    rateLimit: false,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    tokenStoreTimeoutMs: 30,
    ...extra,
  });
}

describe('tokenStoreTimeoutMs', () => {
  it('is checked like every other delay', () => {
    for (const bad of [0, -1, 1.5, 2 ** 31, Number.NaN, '100']) {
      expect(() => createPlaidFacade({ clientId: 'id', secret: 's', tokenStoreTimeoutMs: bad as number })).toThrow(
        InvalidArgumentError,
      );
    }
  });

  it('a write that never settles: retried, then the Item is removed at Plaid, and the caller told', async () => {
    const { store, calls } = hangingStore(['set']);
    const f = facade(store);
    const error = await f.exchange({ userId: 'u', publicToken: fake.createPublicToken() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    // The public token is used up: nothing to try again, the user links again.
    expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED', itemRemoved: true, retryable: false });
    expect((error as TokenStoreError).cause).toMatchObject({ code: 'TOKEN_STORE_TIMEOUT' });
    expect(calls.set).toBe(3);
    expect(fake.items.every((item) => item.removed === true)).toBe(true);
    expect(fake.callsTo('/item/products/terminate').map((call) => call.body?.reason_code)).toEqual(['OTHER']);
    expect(fake.callsTo('/item/remove')).toEqual([]);
    await f.close();
  });

  it.each([
    ['getBalances', (f: ReturnType<typeof facade>, itemId = 'item-1') => f.getBalances({ userId: 'u', itemId })],
    ['removeItem', (f: ReturnType<typeof facade>, itemId = 'item-1') => f.removeItem({ userId: 'u', itemId })],
    [
      'linkToken in update mode',
      (f: ReturnType<typeof facade>, itemId = 'item-1') => f.linkToken({ userId: 'u', itemId }),
    ],
  ])(
    'a read that never settles fails %s with a retryable TokenStoreError, and the same call works later',
    async (_name, call) => {
      const { store, inner } = hangingStore(['get']);
      const f = facade(store);
      const error = await call(f).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenStoreError);
      expect(error).toMatchObject({ code: 'TOKEN_STORE_TIMEOUT', retryable: true });
      expect(fake.calls).toHaveLength(0);
      await f.close();
      // Nothing was changed: once the store answers, the same call succeeds.
      const again = facade(inner);
      const { itemId } = await again.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
      await expect(call(again, itemId)).resolves.toBeDefined();
      await again.close();
    },
  );

  it.each([
    [
      'getBalances',
      (f: ReturnType<typeof facade>, signal: AbortSignal) =>
        f.getBalances({ userId: 'u', itemId: 'item-1' }, { signal }),
    ],
    [
      'getAllBalances',
      (f: ReturnType<typeof facade>, signal: AbortSignal) => f.getAllBalances({ userId: 'u' }, { signal }),
    ],
    [
      'getItem',
      (f: ReturnType<typeof facade>, signal: AbortSignal) => f.getItem({ userId: 'u', itemId: 'item-1' }, { signal }),
    ],
    [
      'removeItem',
      (f: ReturnType<typeof facade>, signal: AbortSignal) =>
        f.removeItem({ userId: 'u', itemId: 'item-1' }, { signal }),
    ],
  ])('%s: the caller’s signal ends a store read that hangs, with its reason', async (_name, call) => {
    const { store } = hangingStore(['get', 'list']);
    // A store bound far beyond the caller's patience: only the signal can end the wait.
    const f = facade(store, { tokenStoreTimeoutMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const pending = call(f, controller.signal).catch((e: unknown) => e);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(fake.calls).toHaveLength(0);
    await f.close();
  });

  it('a delete that never settles after /item/remove: TokenStoreError with itemRemoved, and removeItem again finishes', async () => {
    const { store, inner } = hangingStore(['delete']);
    const f = facade(store);
    const { itemId } = await f.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    expect(await inner.get({ userId: 'u', itemId })).toBeDefined();
    const error = await f.removeItem({ userId: 'u', itemId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    // retryable, as its message says: the same call again finds the Item gone and deletes the record
    expect(error).toMatchObject({ itemRemoved: true, retryable: true });
    await f.close();
    const again = facade(inner);
    await expect(again.removeItem({ userId: 'u', itemId })).resolves.toMatchObject({ itemId });
    expect(await inner.get({ userId: 'u', itemId })).toBeUndefined();
    await again.close();
  });
});

describe('a caller that aborts after Plaid exchanged', () => {
  it('is rejected at once; the facade saves the token in the background and says so', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new MemoryTokenStore();
    const controller = new AbortController();
    const store: TokenStore = {
      ...inner,
      get: (key) => inner.get(key),
      delete: (key) => inner.delete(key),
      list: (userId) => inner.list(userId),
      set: async (item: StoredItem) => {
        controller.abort(new Error('user went away'));
        await gate;
        await inner.set(item);
      },
    };
    const events: PlaidFacadeEvent[] = [];
    const f = facade(store, { tokenStoreTimeoutMs: 5_000, onEvent: (event) => events.push(event) });
    const error = await f
      .exchange({ userId: 'u', publicToken: fake.createPublicToken() }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('user went away');
    release();
    await f.close();
    const [item] = fake.items;
    expect(await inner.get({ userId: 'u', itemId: item?.itemId ?? '' })).toBeDefined();
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'exchange-settled', itemId: item?.itemId, outcome: 'saved' }),
    );
  });

  it.each([
    ['with rate limits (the limiter is closed when the removal starts)', { rateLimit: undefined }],
    ['without rate limits', { rateLimit: false as const }],
  ])('close() waits for the clean-up and lets its /item/products/terminate through, %s', async (_name, limits) => {
    const controller = new AbortController();
    const { store } = hangingStore(['set']);
    const abortingStore: TokenStore = {
      ...store,
      get: store.get,
      delete: store.delete,
      list: store.list,
      set: (item) => {
        controller.abort(new Error('user went away'));
        return store.set(item);
      },
    };
    const events: PlaidFacadeEvent[] = [];
    const f = facade(abortingStore, { ...limits, onEvent: (event) => events.push(event) });
    const error = await f
      .exchange({ userId: 'u', publicToken: fake.createPublicToken() }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('user went away');
    await f.close();
    expect(fake.callsTo('/item/products/terminate')).toHaveLength(1);
    expect(fake.items.every((item) => item.removed === true)).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'exchange-settled', outcome: 'removed' }));
  });
});

describe('ids are checked before any request', () => {
  it.each([
    ['a lone surrogate', 'user-\uD800'],
    ['a NUL', 'user-\u0000'],
    ['a line feed', 'user\n'],
    ['a 10 MB id', 'u'.repeat(10 * 1024 * 1024)],
  ])('exchange refuses a userId with %s, and the public token is not burned', async (_name, userId) => {
    const f = facade(
      new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: [{ id: 'k', key: Buffer.alloc(32, 1) }] }),
    );
    const publicToken = fake.createPublicToken();
    await expect(f.exchange({ userId, publicToken })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(fake.calls).toHaveLength(0);
    await expect(f.exchange({ userId: 'u', publicToken })).resolves.toMatchObject({ userId: 'u' });
    await f.close();
  });

  it.each([
    ['getBalances', (f: ReturnType<typeof facade>, id: string) => f.getBalances({ userId: 'u', itemId: id })],
    ['removeItem', (f: ReturnType<typeof facade>, id: string) => f.removeItem({ userId: id, itemId: 'i' })],
    ['linkToken', (f: ReturnType<typeof facade>, id: string) => f.linkToken({ userId: id })],
  ])('%s refuses a bad id', async (_name, call) => {
    const f = facade(new MemoryTokenStore());
    for (const id of ['\uDC00', 'a\u0007', 'x'.repeat(257)]) {
      await expect(call(f, id)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(fake.calls).toHaveLength(0);
    await f.close();
  });
});
