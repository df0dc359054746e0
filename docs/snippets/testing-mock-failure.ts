// #region mock-failure
import { PlaidApiError } from 'plaid-facade';
import { createMockFacade } from 'plaid-facade/testing';

const plaid = createMockFacade({
  getBalances: () => {
    throw new PlaidApiError(
      {
        status: 400,
        errorType: 'ITEM_ERROR',
        errorCode: 'ITEM_LOGIN_REQUIRED',
        errorMessage: 'the login details of this item have changed',
        displayMessage: null,
        requestId: 'req-1',
        documentationUrl: undefined,
        suggestedAction: null,
        errorCodeReason: null,
        causes: [],
      },
      { retryable: false },
    );
  },
});
// #endregion

await plaid.getBalances({ userId: 'u1', itemId: 'i1' }).catch(() => {});
