import { describe, expect, it } from 'vitest';
import { DuplicateItemError, MemoryTokenStore, type PlaidFacade, type PlaidFacadeOptions } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade: facadeOn } = useFakePlaidFacades();

/** A facade on the fake with a token store of its own, which the test reads. */
function facade(options: Partial<PlaidFacadeOptions> = {}): { plaid: PlaidFacade; store: MemoryTokenStore } {
  const store = new MemoryTokenStore();
  return { plaid: facadeOn({ tokenStore: store, ...options }), store };
}

describe('exchange keeps what it knows of the Item', () => {
  it("stores the institution and accounts from Link's metadata, with no extra call", async () => {
    const { plaid, store } = facade();
    const { publicToken, metadata } = fake.completeLink({ institutionId: 'ins_109509' });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken, metadata });
    const stored = await store.get({ userId: 'u1', itemId });
    expect(stored?.institutionId).toBe('ins_109509');
    expect(stored?.accounts).toEqual(
      metadata.accounts.map((account) => ({
        accountId: account.id,
        name: account.name,
        mask: account.mask,
        type: account.type,
        subtype: account.subtype,
      })),
    );
    expect(fake.callsTo('/accounts/get')).toHaveLength(0);
  });

  it('without metadata, asks the free /accounts/get right after the exchange', async () => {
    const { plaid, store } = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const stored = await store.get({ userId: 'u1', itemId });
    expect(stored?.institutionId).toBe('ins_109508');
    expect(stored?.accounts?.map((account) => [account.name, account.mask])).toEqual([
      ['Plaid Checking', '0000'],
      ['Plaid Saving', '1111'],
      ['Plaid Credit Card', '3333'],
    ]);
    expect(fake.callsTo('/accounts/get')).toHaveLength(1);
    expect(fake.billedCalls).toBe(0);
  });

  it('a failing /accounts/get never fails the exchange', async () => {
    const { plaid, store } = facade();
    fake.failNext('/accounts/get', 'INTERNAL_SERVER_ERROR');
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const stored = await store.get({ userId: 'u1', itemId });
    expect(stored?.accessToken).toMatch(/^access-sandbox-/);
    expect(stored?.accounts).toBeUndefined();
  });
});

describe('exchange refuses a duplicate Item', () => {
  it('throws DuplicateItemError with the existing Item and does not exchange', async () => {
    const { plaid } = facade();
    const first = fake.completeLink();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: first.publicToken, metadata: first.metadata });
    const again = fake.completeLink();
    const error = await plaid
      .exchange({ userId: 'u1', publicToken: again.publicToken, metadata: again.metadata })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateItemError);
    expect(error).toMatchObject({ existingItemId: itemId, code: 'DUPLICATE_ITEM' });
    expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(1);
  });

  it("does not take another user's Item, another institution or other accounts for a duplicate", async () => {
    const { plaid } = facade();
    const first = fake.completeLink();
    await plaid.exchange({ userId: 'u1', publicToken: first.publicToken, metadata: first.metadata });
    const otherUser = fake.completeLink();
    await plaid.exchange({ userId: 'u2', publicToken: otherUser.publicToken, metadata: otherUser.metadata });
    const otherBank = fake.completeLink({ institutionId: 'ins_109511' });
    await plaid.exchange({ userId: 'u1', publicToken: otherBank.publicToken, metadata: otherBank.metadata });
    const otherAccounts = fake.completeLink({ accounts: [{ name: 'Joint', mask: '4444', type: 'depository' }] });
    await plaid.exchange({ userId: 'u1', publicToken: otherAccounts.publicToken, metadata: otherAccounts.metadata });
    expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(4);
  });

  it('duplicateItemRule: false turns the guard off; a rule of your own replaces it', async () => {
    const off = facade({ duplicateItemRule: false }).plaid;
    for (let i = 0; i < 2; i++) {
      const link = fake.completeLink();
      await off.exchange({ userId: 'u1', publicToken: link.publicToken, metadata: link.metadata });
    }
    expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(2);
    // One Item per institution, whatever the accounts.
    const own = facade({
      duplicateItemRule: (candidate, existing) =>
        existing.find((item) => item.institutionId === candidate.institutionId)?.itemId,
    }).plaid;
    const first = fake.completeLink();
    await own.exchange({ userId: 'u1', publicToken: first.publicToken, metadata: first.metadata });
    const second = fake.completeLink({ accounts: [{ name: 'Other', mask: '9', type: 'depository' }] });
    await expect(
      own.exchange({ userId: 'u1', publicToken: second.publicToken, metadata: second.metadata }),
    ).rejects.toBeInstanceOf(DuplicateItemError);
  });

  it('refuses metadata that is not Link-shaped before any request', async () => {
    const { plaid } = facade();
    await expect(
      plaid.exchange({ userId: 'u1', publicToken: 'public-x', metadata: { accounts: [{ name: 'x' }] } as never }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('Capital One: maxBalanceAgeMs sends min_last_updated_datetime for ins_128026 only', () => {
  const sentMin = () =>
    fake.callsTo('/accounts/balance/get').map((call) => {
      const options = call.body?.options as { min_last_updated_datetime?: string } | undefined;
      return options?.min_last_updated_datetime !== undefined;
    });

  it('sends it for a Capital One Item and not for another', async () => {
    const { plaid } = facade({ maxBalanceAgeMs: 24 * 3600_000 });
    const capitalOne = fake.completeLink({ institutionId: 'ins_128026' });
    const c1 = await plaid.exchange({
      userId: 'u1',
      publicToken: capitalOne.publicToken,
      metadata: capitalOne.metadata,
    });
    const other = fake.completeLink({ institutionId: 'ins_109509' });
    const o1 = await plaid.exchange({ userId: 'u1', publicToken: other.publicToken, metadata: other.metadata });
    await expect(plaid.getBalances({ userId: 'u1', itemId: c1.itemId })).resolves.toMatchObject({ source: 'live' });
    await plaid.getBalances({ userId: 'u1', itemId: o1.itemId });
    expect(sentMin()).toEqual([true, false]);
  });

  it('by default (maxBalanceAgeMs a day), a Capital One credit card read works with no option', async () => {
    const { plaid } = facade();
    const { itemId } = await plaid.exchange({
      userId: 'u1',
      publicToken: fake.createPublicToken({ institutionId: 'ins_128026' }),
    });
    await expect(plaid.getBalances({ userId: 'u1', itemId })).resolves.toMatchObject({ source: 'live' });
    const [call] = fake.callsTo('/accounts/balance/get');
    const options = call?.body?.options as { min_last_updated_datetime?: string } | undefined;
    const sent = Date.parse(options?.min_last_updated_datetime ?? '');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(24 * 3600_000 - 1_000);
    expect(Date.now() - sent).toBeLessThan(24 * 3600_000 + 60_000);
  });

  it('with maxBalanceAgeMs: false, the read fails with INVALID_FIELD as at Plaid, naming the options that fix it', async () => {
    const { plaid } = facade({ maxBalanceAgeMs: false });
    const { itemId } = await plaid.exchange({
      userId: 'u1',
      publicToken: fake.createPublicToken({ institutionId: 'ins_128026' }),
    });
    const error = await plaid.getBalances({ userId: 'u1', itemId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_FIELD', name: 'PlaidApiError' });
    expect((error as Error).message).toMatch(/minLastUpdated/);
    expect((error as Error).message).toMatch(/maxBalanceAgeMs/);
  });

  it('LAST_UPDATED_DATETIME_OUT_OF_RANGE names minLastUpdated and maxBalanceAgeMs', async () => {
    const { plaid } = facade();
    const { itemId } = await plaid.exchange({
      userId: 'u1',
      publicToken: fake.createPublicToken({ institutionId: 'ins_128026' }),
    });
    const error = await plaid
      .getBalances({ userId: 'u1', itemId, minLastUpdated: new Date(Date.now() + 60_000) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LAST_UPDATED_DATETIME_OUT_OF_RANGE' });
    expect((error as Error).message).toMatch(/older minLastUpdated.*maxBalanceAgeMs/);
  });

  it('retries once with it for an Item stored before its institution was known, then remembers the institution', async () => {
    const { plaid, store } = facade({ maxBalanceAgeMs: 24 * 3600_000 });
    const { itemId } = await plaid.exchange({
      userId: 'u1',
      publicToken: fake.createPublicToken({ institutionId: 'ins_128026' }),
    });
    const stored = await store.get({ userId: 'u1', itemId });
    // As a 0.1 store would have it: no institution, no accounts.
    await store.set({ userId: 'u1', itemId, accessToken: stored?.accessToken as string, createdAt: new Date() });
    await expect(plaid.getBalances({ userId: 'u1', itemId })).resolves.toMatchObject({ source: 'live' });
    expect(sentMin()).toEqual([false, true]);
    expect((await store.get({ userId: 'u1', itemId }))?.institutionId).toBe('ins_128026');
    await plaid.getBalances({ userId: 'u1', itemId });
    expect(sentMin()).toEqual([false, true, true]);
  });
});
