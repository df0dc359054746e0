// The README's quick start: a whole module, as it is copied. test/docs/readme-quick-start.test.ts and the
// packed-package stage of CI (test/package/run.sh) run it against the fake Plaid.

// #region quick-start
import pg from 'pg';
import { createPlaidFacade, EncryptedTokenStore, isPlaidFacadeError } from 'plaid-facade';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';

/** A setting from the environment; fails at start-up, naming it, when it is missing. */
function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment (see the README's Quick start)`);
  return value;
}

// Access tokens are kept in PostgreSQL, encrypted (AES-256-GCM) with a key of 32 random bytes:
// PLAID_TOKEN_KEY_2025_01=$(openssl rand -base64 32). See docs/token-storage.md.
const pool = new pg.Pool({ connectionString: setting('DATABASE_URL') });
// Without a listener, an idle connection dropped by a PostgreSQL restart crashes the process.
pool.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
const store = new PostgresTokenStore({ pool });

// clientId, secret and environment come from PLAID_CLIENT_ID, PLAID_SECRET and PLAID_ENV ('sandbox' by default).
const plaid = createPlaidFacade({
  tokenStore: new EncryptedTokenStore({ store, keys: [{ id: '2025-01', key: setting('PLAID_TOKEN_KEY_2025_01') }] }),
});
await store.ensureSchema(); // creates the table if it is missing; safe to run at every start

// 1. Your front end opens Plaid Link with a link token.
export async function createLinkToken(userId: string): Promise<string> {
  const { linkToken } = await plaid.linkToken({ userId });
  return linkToken;
}

// 2. Link's onSuccess gives your front end a public token, which it posts to your server: exchange it.
// The access token goes to the store, never to your code; keep the itemId with your user.
export async function connectBank(userId: string, publicToken: string): Promise<string> {
  const { itemId } = await plaid.exchange({ userId, publicToken });
  return itemId;
}

// 3. Real-time balances, whenever you need them.
export async function printBalances(userId: string, itemId: string): Promise<void> {
  try {
    const { accounts } = await plaid.getBalances({ userId, itemId });
    for (const account of accounts) console.log(account.name, account.balances.available, account.balances.currency);
  } catch (error) {
    if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') {
      // The user must log in at their bank again: Link in update mode, plaid.linkToken({ userId, itemId })
    }
    throw error;
  }
}

// On shutdown: wait for calls in flight, then close the pool.
export async function shutdown(): Promise<void> {
  await plaid.close();
  await pool.end();
}
// #endregion
