// docs/migrating.md, after: the facade. `publicToken` comes from Link: here, from
// test/docs/docs-snippets-run-hosts.test.ts, which answers for https://sandbox.plaid.com with the fake Plaid.
import { given } from './given.js';

export interface Given {
  publicToken: string;
}
const { publicToken } = given<Given>();

// #region after
import { createPlaidFacade, isPlaidFacadeError, PlaidApiError } from 'plaid-facade';

const plaid = createPlaidFacade({
  clientId: process.env.PLAID_CLIENT_ID!,
  secret: process.env.PLAID_SECRET!,
  environment: 'sandbox', // the default; timeouts, retries and rate limits are on by default
  clientName: 'My App',
  // tokenStore: where access tokens go (default: in memory), see docs/token-storage.md
});

const { linkToken, expiration } = await plaid.linkToken({ userId: 'user-42' }); // expiration: a Date

const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken }); // token -> tokenStore

try {
  const { accounts } = await plaid.getBalances({ userId: 'user-42', itemId }); // token <- tokenStore
  console.log(accounts[0]?.balances.isoCurrencyCode, accounts[0]?.balances.currency);
} catch (error) {
  // Typed, and safe to log: no secret, no access token.
  if (error instanceof PlaidApiError) console.error(error.errorType, error.errorCode, error.requestId);
  if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') {
    await plaid.linkToken({ userId: 'user-42', itemId }); // update mode; the token is read from the store
  }
  throw error;
}

// #endregion

export { expiration, itemId, linkToken, plaid };
