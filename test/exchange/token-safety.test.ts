import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  MemoryTokenStore,
  PlaidApiError,
  PlaidSchemaError,
  type StoredItem,
  type TokenStore,
  TokenStoreError,
} from '../../src/index.js';
import { plaidError, useScriptedPlaid } from '../support/msw-plaid.js';

const plaid = useScriptedPlaid();
const exchanged = { json: { access_token: 'access-sandbox-keep-me', item_id: 'item-1', request_id: 'req-x' } };

/** A memory store whose writes fail a given number of times (Infinity: always). */
function flakyStore(failures: number): MemoryTokenStore & { writes: number } {
  const store = Object.assign(new MemoryTokenStore(), { writes: 0 });
  const set = store.set.bind(store);
  store.set = async (item: StoredItem) => {
    store.writes++;
    if (store.writes <= failures) throw new Error('connection lost');
    await set(item);
  };
  return store;
}

function facade(tokenStore: TokenStore) {
  return createPlaidFacade({
    clientId: 'c',
    secret: 'secret-xyz-123',
    tokenStore,
    rateLimit: false,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
  });
}

describe('nothing is lost after an exchange', () => {
  it('retries a failed store write and succeeds', async () => {
    const store = flakyStore(2);
    plaid.script('/item/public_token/exchange', exchanged);
    await expect(facade(store).exchange({ userId: 'u', publicToken: 'p' })).resolves.toMatchObject({
      itemId: 'item-1',
    });
    expect(store.writes).toBe(3);
    expect((await store.get({ userId: 'u', itemId: 'item-1' }))?.accessToken).toBe('access-sandbox-keep-me');
    // One exchange; then the free /accounts/get that describes the Item (unscripted here: it
    // fails, and the exchange does not).
    expect(plaid.seen.map((r) => r.path)).toEqual(['/item/public_token/exchange', '/accounts/get']);
  });

  it('removes the Item at Plaid when the store keeps failing, and says so', async () => {
    const store = flakyStore(Number.POSITIVE_INFINITY);
    plaid.script('/item/public_token/exchange', exchanged);
    plaid.script('/item/products/terminate', { json: { request_id: 'req-rm' } });
    const error = await facade(store)
      .exchange({ userId: 'u', publicToken: 'p' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED', itemId: 'item-1', itemRemoved: true });
    expect((error as Error).message).toMatch(/removed at Plaid/);
    expect(store.writes).toBe(3);
    // Plaid's recommended way, with the reason of a clean-up.
    expect(plaid.seen.map((r) => r.path)).toEqual(['/item/public_token/exchange', '/item/products/terminate']);
    expect(plaid.seen[1]?.body).toEqual({ access_token: 'access-sandbox-keep-me', reason_code: 'OTHER' });
  });

  it('reports an orphaned Item when the removal fails too (a transient failure: retried, never /item/remove)', async () => {
    plaid.script('/item/public_token/exchange', exchanged);
    const failing = plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500);
    plaid.script('/item/products/terminate', failing, failing, failing, failing, failing);
    const error = await facade(flakyStore(Number.POSITIVE_INFINITY))
      .exchange({ userId: 'u', publicToken: 'p' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenStoreError', itemId: 'item-1', itemRemoved: false });
    expect((error as Error).message).toMatch(/orphaned/);
    expect(plaid.seen.filter((r) => r.path === '/item/products/terminate').length).toBeGreaterThan(1);
    expect(plaid.seen.map((r) => r.path)).not.toContain('/item/remove');
  });
});

describe('an exchange answer that fails its schema', () => {
  it('still holds a fresh access token: the Item is removed at Plaid, and the caller gets PlaidSchemaError', async () => {
    plaid.script('/item/public_token/exchange', {
      json: { access_token: 'access-sandbox-orphan', request_id: 'req-x' },
    });
    plaid.script('/item/products/terminate', { json: { request_id: 'req-rm' } });
    const store = new MemoryTokenStore();
    const error = await facade(store)
      .exchange({ userId: 'u', publicToken: 'p' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect(plaid.seen.map((r) => r.path)).toEqual(['/item/public_token/exchange', '/item/products/terminate']);
    expect(plaid.seen[1]?.body).toEqual({ access_token: 'access-sandbox-orphan', reason_code: 'OTHER' });
    expect(await store.list('u')).toEqual([]);
  });
});

describe('removeItem when a step fails', () => {
  async function linked(store: MemoryTokenStore) {
    await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-sandbox-1', createdAt: new Date() });
    return facade(store);
  }

  it('keeps the token when Plaid refuses the removal, so the call can be repeated', async () => {
    const store = new MemoryTokenStore();
    const f = await linked(store);
    plaid.script('/item/products/terminate', plaidError('ITEM_ERROR', 'ITEM_LOCKED', 400));
    await expect(f.removeItem({ userId: 'u', itemId: 'item-1' })).rejects.toBeInstanceOf(PlaidApiError);
    expect(await store.get({ userId: 'u', itemId: 'item-1' })).toBeDefined();
  });

  it('deletes the token when Plaid says the Item is already gone', async () => {
    const store = new MemoryTokenStore();
    const f = await linked(store);
    plaid.script('/item/products/terminate', plaidError('INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 400));
    await expect(f.removeItem({ userId: 'u', itemId: 'item-1' })).resolves.toMatchObject({ itemId: 'item-1' });
    expect(await store.get({ userId: 'u', itemId: 'item-1' })).toBeUndefined();
  });

  it('reports a store failure after the removal at Plaid, and a second call finishes the job', async () => {
    const store = new MemoryTokenStore();
    const f = await linked(store);
    const remove = store.delete.bind(store);
    store.delete = async () => {
      throw new Error('store down');
    };
    plaid.script('/item/products/terminate', { json: { request_id: 'req-rm' } });
    const error = await f.removeItem({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenStoreError', itemRemoved: true, itemId: 'item-1' });
    store.delete = remove;
    plaid.script('/item/products/terminate', plaidError('INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 400));
    await expect(f.removeItem({ userId: 'u', itemId: 'item-1' })).resolves.toMatchObject({ itemId: 'item-1' });
    expect(await store.list('u')).toEqual([]);
  });

  it('wraps a failing store read in TokenStoreError before any request', async () => {
    const store = new MemoryTokenStore();
    store.get = async () => {
      throw new Error('store down');
    };
    await expect(facade(store).getBalances({ userId: 'u', itemId: 'item-1' })).rejects.toBeInstanceOf(TokenStoreError);
    expect(plaid.seen).toHaveLength(0);
  });
});
