/**
 * Integration tests of downstream code with the real facade and the fake Plaid behind msw: the
 * whole stack (official client, validation, retry, errors) runs, and nothing leaves the process.
 * msw intercepts https://sandbox.plaid.com, so the facade needs no basePath.
 */
import { setupServer } from 'msw/node';
import { createPlaidFacade, type PlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lowBalanceReport } from './low-balance.js';

const fake = createFakePlaid();
const server = setupServer(...fake.handlers);
let plaid: PlaidFacade;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  // Short retry delays keep the transient-failure test fast; no other setting is test-specific.
  plaid = createPlaidFacade({
    clientId: 'test-id',
    secret: 'test-secret',
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  });
});
afterEach(async () => {
  await plaid.close();
  fake.reset();
});
afterAll(() => server.close());

/** Links an Item for `userId` the way the app does: Link (the fake) then exchange. */
async function linkItem(userId: string): Promise<string> {
  const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
  return itemId;
}

describe('lowBalanceReport, with the fake Plaid through msw', () => {
  it('reads the balances the fake holds', async () => {
    const itemId = await linkItem('user-1');
    const checking = fake.item(itemId).accounts.find((account) => account.subtype === 'checking');
    fake.setBalance(checking?.account_id ?? '', { available: 12.5 });
    expect(await lowBalanceReport(plaid, 'user-1', itemId, 50)).toEqual({
      status: 'ok',
      lowAccounts: ['Plaid Checking'],
    });
  });

  it('asks for a relink when Plaid says ITEM_LOGIN_REQUIRED', async () => {
    const itemId = await linkItem('user-1');
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    expect(await lowBalanceReport(plaid, 'user-1', itemId, 50)).toEqual({ status: 'relink-needed' });
  });

  it("gets through one INSTITUTION_DOWN thanks to the facade's retry", async () => {
    const itemId = await linkItem('user-1');
    fake.failNext('/accounts/balance/get', 'INSTITUTION_DOWN');
    expect(await lowBalanceReport(plaid, 'user-1', itemId, 50)).toEqual({ status: 'ok', lowAccounts: [] });
    expect(fake.callsTo('/accounts/balance/get').map((call) => call.status)).toEqual([400, 200]);
  });

  it('says "try later" when the institution stays down', async () => {
    const itemId = await linkItem('user-1');
    fake.failNext('/accounts/balance/get', 'INSTITUTION_DOWN', { times: 10 });
    expect(await lowBalanceReport(plaid, 'user-1', itemId, 50)).toEqual({ status: 'try-later' });
  });
});
