/**
 * The exchange's clean-up of an access token it cannot keep (here: the store refuses every write)
 * ends the Item the way Plaid recommends, `/item/products/terminate` with `reason_code: 'OTHER'`,
 * and falls back to `/item/remove` (also `OTHER`) where terminate is refused as not available to
 * the client, as `removeItem` does. Because the token is forgotten afterwards, any other definite
 * refusal falls back too (last resort); a transient failure never does, and an Item already gone
 * counts as removed.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, type StoredItem, TokenStoreError } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();

/** A store that refuses every write, so every exchange must clean up. */
class RefusingStore extends MemoryTokenStore {
  override async set(_item: StoredItem): Promise<void> {
    throw new Error('disk full');
  }
}

/** Exchanges a fresh public token into a refusing store; the clean-up's outcome as the caller sees it. */
async function exchangeThatCleansUp(
  retry: false | { retries: number; minDelayMs: number; maxDelayMs: number } = false,
) {
  const plaid = facade({ tokenStore: new RefusingStore(), retry });
  const error = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenStoreError);
  expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED' });
  const [item] = fake.items;
  return {
    error: error as TokenStoreError,
    accessToken: item?.accessToken,
    gone: item?.removed === true,
    terminate: fake.callsTo('/item/products/terminate').map((call) => call.body),
    remove: fake.callsTo('/item/remove').map((call) => call.body),
  };
}

describe("the exchange's clean-up", () => {
  it("terminates the Item with reason_code OTHER (Plaid's recommended way), no /item/remove", async () => {
    const result = await exchangeThatCleansUp();
    expect(result.terminate).toEqual([{ access_token: result.accessToken, reason_code: 'OTHER' }]);
    expect(result.remove).toEqual([]);
    expect(result.gone).toBe(true);
    expect(result.error.itemRemoved).toBe(true);
    expect(result.error.message).toMatch(/removed at Plaid/);
  });

  it.each(['INVALID_PRODUCT', 'UNAUTHORIZED_ROUTE_ACCESS', 'ADDENDUM_NOT_SIGNED', 'NOT_FOUND'])(
    'falls back to /item/remove with OTHER where terminate is not available to the client (%s)',
    async (code) => {
      fake.failNext('/item/products/terminate', code);
      const result = await exchangeThatCleansUp();
      expect(result.terminate).toHaveLength(1);
      expect(result.remove).toEqual([{ access_token: result.accessToken, reason_code: 'OTHER' }]);
      expect(result.gone).toBe(true);
      expect(result.error.itemRemoved).toBe(true);
    },
  );

  it.each(['ITEM_LOGIN_REQUIRED', 'INVALID_FIELD'])(
    'falls back to /item/remove on another definite refusal (%s): the token is lost afterwards, so a last resort',
    async (code) => {
      fake.failNext('/item/products/terminate', code);
      const result = await exchangeThatCleansUp();
      expect(result.remove).toEqual([{ access_token: result.accessToken, reason_code: 'OTHER' }]);
      expect(result.error.itemRemoved).toBe(true);
    },
  );

  it.each([
    ['a server error', 'INTERNAL_SERVER_ERROR'],
    ['an institution outage', 'INSTITUTION_DOWN'],
    ['a rate limit', 'RATE_LIMIT_EXCEEDED'],
    ['a dropped connection', 'network'],
  ])('never falls back on %s: the Item is reported orphaned', async (_name, fault) => {
    fake.failNext('/item/products/terminate', fault);
    const result = await exchangeThatCleansUp();
    expect(result.remove).toEqual([]);
    expect(result.gone).toBe(false);
    expect(result.error.itemRemoved).toBe(false);
    expect(result.error.message).toMatch(/orphaned/);
  });

  it('an Item already gone (INVALID_ACCESS_TOKEN) counts as removed, with no /item/remove', async () => {
    fake.failNext('/item/products/terminate', 'INVALID_ACCESS_TOKEN');
    const result = await exchangeThatCleansUp();
    expect(result.remove).toEqual([]);
    expect(result.error.itemRemoved).toBe(true);
  });

  it('a terminate whose answer was lost is retried; "already gone" then means it worked', async () => {
    fake.failNext('/item/products/terminate', 'processed-then-dropped');
    const result = await exchangeThatCleansUp({ retries: 2, minDelayMs: 1, maxDelayMs: 2 });
    expect(result.terminate.length).toBeGreaterThanOrEqual(2);
    expect(result.remove).toEqual([]);
    expect(result.gone).toBe(true);
    expect(result.error.itemRemoved).toBe(true);
  });
});

describe('removeItem keeps to the listed codes', () => {
  it('does not fall back on a definite refusal outside them: the token is still stored, the caller decides', async () => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    fake.failNext('/item/products/terminate', 'ITEM_LOGIN_REQUIRED');
    await expect(plaid.removeItem({ userId: 'u', itemId })).rejects.toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    expect(fake.callsTo('/item/remove')).toEqual([]);
    expect(await store.get({ userId: 'u', itemId })).toBeDefined();
  });
});
