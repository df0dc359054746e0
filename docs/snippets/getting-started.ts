// Code of docs/getting-started.md. test/docs/docs-snippets-run-hosts.test.ts runs it: it sets
// PLAID_CLIENT_ID and PLAID_SECRET and answers for https://sandbox.plaid.com with the fake Plaid.
// `publicToken`, `userId` and `itemId` come from your application: the parameters of `flow` and
// `callOptions` below.

// #region create
import { createPlaidFacade } from 'plaid-facade';

const plaid = createPlaidFacade({
  clientId: process.env.PLAID_CLIENT_ID!, // required
  secret: process.env.PLAID_SECRET!, // required; never logged, never in an error
  environment: 'sandbox', // default; 'production' for live data
});
// #endregion

export async function flow(publicToken: string) {
  // #region flow
  // Your server creates a Link token for the signed-in user...
  const { linkToken, expiration } = await plaid.linkToken({ userId: 'user-42' });

  // ...your front end opens Plaid Link with it, and Link hands back a public token...
  const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken });

  // ...which the facade exchanged for an access token and stored. Read balances with the Item id:
  const { accounts, fetchedAt } = await plaid.getBalances({ userId: 'user-42', itemId });
  // #endregion
  return { linkToken, expiration, itemId, accounts, fetchedAt };
}

export async function callOptions(userId: string, itemId: string) {
  // #region call-options
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 5_000);
  await plaid.getBalances({ userId, itemId }, { signal: controller.signal, retry: false });
  // #endregion
}

export { plaid };
