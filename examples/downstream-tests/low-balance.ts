import { isPlaidFacadeError, type PlaidFacade } from 'plaid-facade';

/** What the service reports about one Item. */
export type LowBalanceReport =
  | { status: 'ok'; lowAccounts: string[] }
  | { status: 'relink-needed' }
  | { status: 'try-later' };

/**
 * "Your code": names the depository accounts whose available balance is under `threshold`. Takes
 * the `PlaidFacade` interface, not a concrete facade, so that tests can hand it a mock.
 */
export async function lowBalanceReport(
  plaid: PlaidFacade,
  userId: string,
  itemId: string,
  threshold: number,
): Promise<LowBalanceReport> {
  try {
    const { accounts } = await plaid.getBalances({ userId, itemId });
    const lowAccounts = accounts
      .filter((account) => account.type === 'depository')
      .filter((account) => (account.balances.available ?? account.balances.current ?? 0) < threshold)
      .map((account) => account.name);
    return { status: 'ok', lowAccounts };
  } catch (error) {
    if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') return { status: 'relink-needed' };
    if (isPlaidFacadeError(error) && error.retryable) return { status: 'try-later' };
    throw error;
  }
}
