// Code of docs/testing.md about the fake Plaid. `itemId` and `accountId` come from your test: the
// parameters of `state` below. test/docs/docs-snippets-run.test.ts serves this `fake` on loopback, links
// the two Items of `link` through a facade and calls each function in turn.
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid();

// #region link
const publicToken = fake.createPublicToken(); // First Platypus Bank, 3 accounts
const capitalOneToken = fake.createPublicToken({
  institutionId: 'ins_128026', // needs min_last_updated_datetime
  accounts: [{ name: 'Wallet', type: 'other', balances: { current: 0.5, unofficial_currency_code: 'BTC' } }],
  products: ['auth'],
  webhook: 'https://example.com/hook',
});
// #endregion

export function state({ itemId, accountId }: { itemId: string; accountId: string }) {
  // #region state
  fake.items; // snapshots: itemId, accessToken, institutionId, removed, accounts
  fake.item(itemId).accounts[0]?.account_id;
  fake.setBalance(accountId, { available: 12.5 }); // members left out keep their value
  // #endregion
}

export function faults() {
  // #region faults
  fake.failNext('/accounts/balance/get', 'INSTITUTION_DOWN'); // next call only
  fake.failNext('/accounts/balance/get', 'INTERNAL_SERVER_ERROR', { times: 3 });
  fake.failNext('*', 'PLANNED_MAINTENANCE'); // any endpoint
  // #endregion
}

export function rateLimit() {
  // #region rate-limit
  fake.setRateLimit('/accounts/balance/get', { limit: 5, intervalMs: 60_000, perItem: true });
  fake.setRateLimit('/accounts/balance/get', undefined); // lift it
  // #endregion
}

export function calls() {
  // #region calls
  fake.calls; // every request, oldest first
  fake.callsTo('/item/products/terminate');

  // { endpoint, body, clientId, plaidVersion, status, errorCode, requestId, at }
  // #endregion
}

export { capitalOneToken, fake, publicToken };
