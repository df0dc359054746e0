/**
 * Unit tests of downstream code with `createMockFacade`: no HTTP at all, no Plaid client loaded.
 * Best for your own logic: what it does with the results and with each kind of failure.
 */
import { PlaidApiError } from 'plaid-facade';
import { createMockFacade, mockAccounts } from 'plaid-facade/testing';
import { describe, expect, it } from 'vitest';
import { lowBalanceReport } from './low-balance.js';

/** A Plaid error as the facade would throw it. */
function plaidError(errorType: string, errorCode: string, retryable: boolean): PlaidApiError {
  return new PlaidApiError(
    {
      status: 400,
      errorType,
      errorCode,
      errorMessage: errorCode.toLowerCase(),
      displayMessage: null,
      requestId: 'req-1',
      documentationUrl: undefined,
      suggestedAction: null,
      errorCodeReason: null,
      causes: [],
    },
    { retryable },
  );
}

describe('lowBalanceReport, with a mock facade', () => {
  it('names depository accounts under the threshold (default mock accounts: 100 and 200 available)', async () => {
    const plaid = createMockFacade();
    expect(await lowBalanceReport(plaid, 'user-1', 'item-1', 150)).toEqual({
      status: 'ok',
      lowAccounts: ['Plaid Checking'],
    });
    expect(plaid.calls.getBalances).toEqual([[{ userId: 'user-1', itemId: 'item-1' }, undefined]]);
  });

  it('uses balances you choose', async () => {
    const accounts = mockAccounts().map((account) => ({
      ...account,
      balances: { ...account.balances, available: 5 },
    }));
    const plaid = createMockFacade({
      getBalances: (input) => ({ ...input, requestId: 'r', fetchedAt: new Date(), accounts }),
    });
    const report = await lowBalanceReport(plaid, 'u', 'i', 10);
    expect(report).toEqual({ status: 'ok', lowAccounts: ['Plaid Checking', 'Plaid Saving'] });
  });

  it('asks for a relink on ITEM_LOGIN_REQUIRED', async () => {
    const plaid = createMockFacade({
      getBalances: () => {
        throw plaidError('ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', false);
      },
    });
    expect(await lowBalanceReport(plaid, 'u', 'i', 10)).toEqual({ status: 'relink-needed' });
  });

  it('says "try later" on a transient failure', async () => {
    const plaid = createMockFacade({
      getBalances: () => {
        throw plaidError('INSTITUTION_ERROR', 'INSTITUTION_DOWN', true);
      },
    });
    expect(await lowBalanceReport(plaid, 'u', 'i', 10)).toEqual({ status: 'try-later' });
  });
});
