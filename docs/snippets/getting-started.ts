// Code of docs/getting-started.md. `publicToken`, `userId` and `itemId` come from your application.
declare const publicToken: string;
declare const userId: string;

// #region create
import { createPlaidFacade } from 'plaid-facade';

const plaid = createPlaidFacade({
  clientId: process.env.PLAID_CLIENT_ID!, // required
  secret: process.env.PLAID_SECRET!, // required; never logged, never in an error
  environment: 'sandbox', // default; 'production' for live data
});
// #endregion

// #region flow
// Your server creates a Link token for the signed-in user...
const { linkToken, expiration } = await plaid.linkToken({ userId: 'user-42' });

// ...your front end opens Plaid Link with it, and Link hands back a public token...
const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken });

// ...which the facade exchanged for an access token and stored. Read balances with the Item id:
const { accounts, fetchedAt } = await plaid.getBalances({ userId: 'user-42', itemId });
// #endregion

// #region call-options
const controller = new AbortController();
setTimeout(() => controller.abort(), 5_000);
await plaid.getBalances({ userId, itemId }, { signal: controller.signal, retry: false });
// #endregion
