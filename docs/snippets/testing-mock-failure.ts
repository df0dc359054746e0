// #region mock-failure
import { createMockFacade, mockPlaidError } from 'plaid-facade/testing';

// The PlaidApiError the facade throws when Plaid answers ITEM_LOGIN_REQUIRED (type, status, messages, retryable).
const plaid = createMockFacade({ getBalances: () => Promise.reject(mockPlaidError('ITEM_LOGIN_REQUIRED')) });

// #endregion

// For test/docs/docs-snippets-run.test.ts, which runs this file.
export { plaid };
