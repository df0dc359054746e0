// #region mock-facade
import { createMockFacade } from 'plaid-facade/testing';

const plaid = createMockFacade(); // deterministic results, shaped like the real ones
await plaid.getBalances({ userId: 'u1', itemId: 'i1' });
plaid.calls.getBalances; // [[{ userId: 'u1', itemId: 'i1' }, undefined]]

// #endregion

// For test/docs/docs-snippets-run.test.ts, which runs this file.
export { plaid };
