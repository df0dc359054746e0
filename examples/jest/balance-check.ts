import { isPlaidFacadeError, type PlaidFacade } from 'plaid-facade';

/** What the service tells the user about one bank connection. */
export type BalanceCheck = { status: 'ok'; total: number } | { status: 'relink-needed' } | { status: 'try-later' };

/**
 * "Your code": the total available across a user's depository accounts at one Item. It takes the
 * `PlaidFacade` interface, so a test can pass a real facade (pointed at the fake Plaid) or a mock.
 */
export async function checkBalance(plaid: PlaidFacade, userId: string, itemId: string): Promise<BalanceCheck> {
  try {
    const { accounts } = await plaid.getBalances({ userId, itemId });
    const total = accounts
      .filter((account) => account.type === 'depository')
      .reduce((sum, account) => sum + (account.balances.available ?? 0), 0);
    return { status: 'ok', total };
  } catch (error) {
    if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') return { status: 'relink-needed' };
    if (isPlaidFacadeError(error) && error.retryable) return { status: 'try-later' };
    throw error;
  }
}
