// Your own store and your test runner's `it`, as far as this snippet needs them: given by
// test/docs/docs-snippets-run.test.ts (MemoryTokenStore for your store, vitest's `it`), which runs the checks.
import type { TokenStore } from 'plaid-facade';
import { given } from './given.js';

export interface Given {
  MyTokenStore: new () => TokenStore;
  it: (name: string, run: () => Promise<void>) => void;
}
const { MyTokenStore, it } = given<Given>();

// #region contract
import { tokenStoreContract } from 'plaid-facade/testing';

for (const check of tokenStoreContract(() => new MyTokenStore())) it(check.name, check.run);
// #endregion
