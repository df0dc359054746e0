import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPlaidFacade, EncryptedTokenStore, MemoryTokenStore, TokenStoreError } from '../../src/index.js';
import { useFakePlaid } from '../support/fake-facades.js';

// A record encrypted under a key since dropped can never be read again; removeItem can drop it.
const served = useFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
const { fake } = served;

async function orphanedRecord() {
  const inner = new MemoryTokenStore();
  const old = new EncryptedTokenStore({ store: inner, keys: [{ id: 'old', key: randomBytes(32) }] });
  const before = createPlaidFacade({ clientId: 'id', secret: 'secret-xyz-123', basePath: served.url, tokenStore: old });
  const { itemId } = await before.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
  await before.close();
  // The old key is gone from the list: the record cannot be decrypted any more.
  const store = new EncryptedTokenStore({ store: inner, keys: [{ id: 'new', key: randomBytes(32) }] });
  const plaid = createPlaidFacade({
    clientId: 'id',
    secret: 'secret-xyz-123',
    basePath: served.url,
    tokenStore: store,
  });
  return { inner, plaid, itemId };
}

describe("removeItem's unreadable option", () => {
  it('by default fails with the decryption error and keeps the record', async () => {
    const { inner, plaid, itemId } = await orphanedRecord();
    const error = await plaid.removeItem({ userId: 'u', itemId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_KEY_UNKNOWN' });
    expect(await inner.get({ userId: 'u', itemId })).toBeDefined();
    await plaid.close();
  });

  it("with unreadable: 'delete' drops the record without calling Plaid", async () => {
    const { inner, plaid, itemId } = await orphanedRecord();
    const removesBefore = fake.callsTo('/item/remove').length;
    await expect(plaid.removeItem({ userId: 'u', itemId, unreadable: 'delete' })).resolves.toEqual({
      userId: 'u',
      itemId,
      requestId: '',
    });
    expect(await inner.get({ userId: 'u', itemId })).toBeUndefined();
    expect(fake.callsTo('/item/remove')).toHaveLength(removesBefore);
    await plaid.close();
  });

  it("with unreadable: 'delete' a readable record is removed at Plaid as usual", async () => {
    const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret-xyz-123', basePath: served.url });
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    await plaid.removeItem({ userId: 'u', itemId, unreadable: 'delete' });
    expect(fake.item(itemId).removed).toBe(true);
    await plaid.close();
  });
});
