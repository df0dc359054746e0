// Code of docs/balances.md. `plaid` is your facade; `userId`, `itemId` and `checkingId` come from
// your application: here, the parameters of the functions around the regions, which
// test/docs/docs-snippets-run.test.ts calls with a facade over the fake Plaid (and
// test/docs/docs-snippets-run-hosts.test.ts, for the regions that create a facade of their own).

import { Redis } from 'ioredis';
import {
  type Account,
  createPlaidFacade,
  ItemUnavailableError,
  isPlaidFacadeError,
  type PlaidFacade,
} from 'plaid-facade';
import { RedisBalanceCache } from 'plaid-facade/stores/redis';

/** What the reads below are given: your facade and the Item to read. */
export interface Read {
  plaid: PlaidFacade;
  userId: string;
  itemId: string;
}

export async function timeouts({ plaid, userId, itemId }: Read) {
  // #region timeouts
  // 60 s per attempt by default for balances; this call allows 90 s per attempt...
  await plaid.getBalances({ userId, itemId }, { timeoutMs: 90_000 });

  // ...and this one gives up after 20 s in all (attempts, retries and waiting in the rate limiter).
  await plaid.getBalances({ userId, itemId }, { signal: AbortSignal.timeout(20_000) });
  // #endregion
}

export async function minLastUpdated({ plaid, userId, itemId }: Read) {
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
}

export async function accountIds({ plaid, userId, itemId, checkingId }: Read & { checkingId: string }) {
  // #region account-ids
  const { accounts, fetchedAt } = await plaid.getBalances({ userId, itemId, accountIds: [checkingId] });
  // #endregion
  return { accounts, fetchedAt };
}

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

export async function maxAge({ plaid, userId, itemId }: Read) {
  // #region max-age
  // A dashboard that shows balances up to a minute old: a second open within the minute is free.
  const shown = await plaid.getBalances({ userId, itemId, maxAgeMs: 60_000 });
  if (shown.source === 'cache') {
    // Served again: shown.fetchedAt says when it was read live.
  }
  // #endregion
  return shown;
}

export function costEvents() {
  // #region cost-events
  // Count what your reads cost: one 'billed' event per call Plaid bills, however many reads shared it.
  let billed = 0;
  const metered = createPlaidFacade({
    onEvent: (event) => {
      if (event.type === 'billed') billed += 1;
    },
  });
  // #endregion
  return { metered, billed: () => billed };
}

export function redisCache() {
  // #region redis-cache
  // One cache for every process of the service. It holds account names, masks and balances:
  // personal data, kept for at most each read's maxAgeMs.
  const shared = createPlaidFacade({
    balanceCache: new RedisBalanceCache({ client: new Redis(process.env.REDIS_URL!), prefix: 'myapp:balances:' }),
  });
  // #endregion
  return shared;
}

export async function accounts({ plaid, userId, itemId }: Read) {
  // #region accounts
  // Free, and Plaid's cached balances: right after linking, and for a dashboard that can be a day old.
  const cached = await plaid.getAccounts({ userId, itemId });
  cached.source; // 'plaid-cache'
  // #endregion
  return cached;
}

export async function allBalances({ plaid, userId }: Omit<Read, 'itemId'>) {
  // #region all-balances
  const all = await plaid.getAllBalances({ userId, maxAgeMs: 60_000 }, { signal: AbortSignal.timeout(15_000) });
  for (const item of all.items) {
    if (item.ok) continue;
    if (item.error instanceof ItemUnavailableError) {
      // login_required or revoked, known from webhooks: ask the user to link again (update mode).
    }
  }
  const total = all.accounts
    .filter((a) => a.type === 'depository')
    .reduce((sum, a) => sum + (a.balances.available ?? 0), 0);
  // #endregion
  return { all, total };
}

export function capitalOne() {
  // #region capital-one
  // Capital One credit cards have no real-time balance: by default a read accepts one up to a day
  // old for them (and only for them). A funds check may want fresher: at most 3 hours old here.
  const withCapitalOne = createPlaidFacade({ maxBalanceAgeMs: 3 * 60 * 60 * 1000 });
  // #endregion
  return withCapitalOne;
}

export { describe };
