import { describe, expect, it } from 'vitest';
import { PlaidApiError, type PlaidFacade } from '../../src/index.js';
import { createMockFacade } from '../../src/testing/index.js';

describe('createMockFacade: the balance methods of 0.2', () => {
  it('answers getBalances live, getAccounts from the cache, and records both calls', async () => {
    const plaid: PlaidFacade = createMockFacade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: 'p' });
    await expect(plaid.getBalances({ userId: 'u1', itemId })).resolves.toMatchObject({ source: 'live' });
    const cached = await plaid.getAccounts({ userId: 'u1', itemId });
    expect(cached.source).toBe('plaid-cache');
    expect(cached.accounts).toHaveLength(3);
  });

  it('reads every Item its exchange made with the current getBalances: one failing Item makes it partial', async () => {
    const plaid = createMockFacade();
    const first = await plaid.exchange({ userId: 'u1', publicToken: 'p1' });
    const second = await plaid.exchange({ userId: 'u1', publicToken: 'p2' });
    await plaid.exchange({ userId: 'someone-else', publicToken: 'p3' });
    const loginRequired = new PlaidApiError(
      {
        status: 400,
        errorType: 'ITEM_ERROR',
        errorCode: 'ITEM_LOGIN_REQUIRED',
        errorMessage: 'log in again',
        displayMessage: null,
        requestId: 'r',
        documentationUrl: undefined,
        suggestedAction: null,
        errorCodeReason: null,
        causes: [],
      },
      { retryable: false },
    );
    // An override written before 0.2, without `source`.
    plaid.use({
      getBalances: (input) => {
        if (input.itemId === second.itemId) throw loginRequired;
        return { userId: input.userId, itemId: input.itemId, requestId: 'r1', fetchedAt: new Date(0), accounts: [] };
      },
    });
    const all = await plaid.getAllBalances({ userId: 'u1' });
    expect(all.partial).toBe(true);
    expect(all.items).toEqual([
      { itemId: first.itemId, ok: true, requestId: 'r1', fetchedAt: new Date(0), source: 'live', accounts: [] },
      { itemId: second.itemId, ok: false, error: loginRequired },
    ]);
    expect(plaid.calls.getAllBalances).toHaveLength(1);
    expect(plaid.calls.getBalances).toHaveLength(0);
  });
});
