// Jest (ts-jest, CommonJS) against the fake Plaid on loopback: `fake.listen()` needs no msw and no
// Jest transform settings. In your project: `npx jest`. In this repository it runs against the packed
// package, in the scratch consumer project of test/package/run.sh (CI's "packed package" stage).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPlaidFacade, type PlaidFacade } from 'plaid-facade';
import { createFakePlaid, type FakePlaidServer } from 'plaid-facade/testing';
import { checkBalance } from './balance-check';

const fake = createFakePlaid();
let server: FakePlaidServer;
let plaid: PlaidFacade;

beforeAll(async () => {
  server = await fake.listen();
  // Short retry delays keep the transient-failure test fast.
  plaid = createPlaidFacade({
    clientId: 'test-id',
    secret: 'test-secret',
    basePath: server.url,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await plaid.close();
  await server.close();
});

async function linkItem(userId: string): Promise<string> {
  const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
  return itemId;
}

describe('checkBalance, with the fake Plaid on loopback', () => {
  it('adds up the available balances of the depository accounts', async () => {
    const itemId = await linkItem('user-1');
    const checking = fake.item(itemId).accounts.find((account) => account.subtype === 'checking');
    fake.setBalance(checking?.account_id ?? '', { available: 12.5 });
    // 12.5 in checking + the 200 the fake seeds in savings; the credit card is not a depository account.
    expect(await checkBalance(plaid, 'user-1', itemId)).toEqual({ status: 'ok', total: 212.5 });
  });

  it('asks for a relink when Plaid says ITEM_LOGIN_REQUIRED', async () => {
    const itemId = await linkItem('user-1');
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    expect(await checkBalance(plaid, 'user-1', itemId)).toEqual({ status: 'relink-needed' });
  });

  it('says "try later" when the institution stays down', async () => {
    const itemId = await linkItem('user-1');
    fake.failNext('/accounts/balance/get', 'INSTITUTION_DOWN', { times: 10 });
    expect(await checkBalance(plaid, 'user-1', itemId)).toEqual({ status: 'try-later' });
  });
});
