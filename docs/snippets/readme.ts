// The README's quick start. `pool` and `publicToken` come from your application.
import type { Pool } from 'pg';

declare const pool: Pool;
declare const publicToken: string;

// #region quick-start
import { createPlaidFacade, EncryptedTokenStore, isPlaidFacadeError } from 'plaid-facade';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';

const plaid = createPlaidFacade({
  clientId: process.env.PLAID_CLIENT_ID!,
  secret: process.env.PLAID_SECRET!,
  environment: 'production',
  tokenStore: new EncryptedTokenStore({
    store: new PostgresTokenStore({ pool }),
    keys: [{ id: '2026-11', key: Buffer.from(process.env.TOKEN_KEY!, 'base64') }],
  }),
});

// 1. Your front end opens Plaid Link with this token.
const { linkToken } = await plaid.linkToken({ userId: 'user-42' });

// 2. Link hands your front end a public token; exchange it. The access token goes to the store.
const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken });

// 3. Real-time balances, whenever you need them.
try {
  const { accounts } = await plaid.getBalances({ userId: 'user-42', itemId });
  for (const account of accounts) console.log(account.name, account.balances.available, account.balances.currency);
} catch (error) {
  if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') {
    // Send the user through Link in update mode: plaid.linkToken({ userId: 'user-42', itemId })
  }
  throw error;
}
// #endregion
