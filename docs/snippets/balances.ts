// Code of docs/balances.md. `userId`, `itemId` and `checkingId` come from your application.
import { type Account, createPlaidFacade, isPlaidFacadeError } from 'plaid-facade';

declare const userId: string;
declare const itemId: string;
declare const checkingId: string;

const plaid = createPlaidFacade({ clientId: process.env.PLAID_CLIENT_ID!, secret: process.env.PLAID_SECRET! });

// #region timeouts
// 60 s per attempt by default for balances; this call allows 90 s per attempt...
await plaid.getBalances({ userId, itemId }, { timeoutMs: 90_000 });

// ...and this one gives up after 20 s in all (attempts, retries and waiting in the rate limiter).
await plaid.getBalances({ userId, itemId }, { signal: AbortSignal.timeout(20_000) });
// #endregion

// #region min-last-updated
// Accept a balance up to 24 hours old where the institution has no real-time one (Capital One
// credit cards); elsewhere Plaid ignores the option and reads the bank live.
const oneDayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
try {
  await plaid.getBalances({ userId, itemId, minLastUpdated: oneDayAgo });
} catch (error) {
  if (isPlaidFacadeError(error) && error.code === 'LAST_UPDATED_DATETIME_OUT_OF_RANGE') {
    // Nothing as fresh as that: ask again with an older date, or show the balance as unavailable.
  }
  throw error;
}
// #endregion

// #region account-ids
const { accounts, fetchedAt } = await plaid.getBalances({ userId, itemId, accountIds: [checkingId] });
// #endregion

// #region nullable
function describe(account: Account): string {
  const { available, current, limit, currency, lastUpdated } = account.balances;
  const money = (amount: number | null) => (amount === null ? 'n/a' : `${amount.toFixed(2)} ${currency ?? ''}`);
  const asOf = lastUpdated ? ` (as of ${lastUpdated.toISOString()})` : '';
  return account.type === 'credit'
    ? `${account.name}: owes ${money(current)}, limit ${money(limit)}${asOf}`
    : `${account.name} ${account.mask ?? ''}: ${money(available)} available, ${money(current)} current${asOf}`;
}
// #endregion

console.log(accounts.map(describe), fetchedAt);
