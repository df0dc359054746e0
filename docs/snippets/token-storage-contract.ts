// Your own store, its test database and your test runner, as far as this snippet needs them: given
// by test/docs/docs-snippets-run.test.ts (a store over a Map for a database, vitest's `describe` and
// `it`), which runs the checks.
import type { TokenStore } from 'plaid-facade';
import { given } from './given.js';

// biome-ignore lint/suspicious/noExportsInTest: not a test file; its test gives it `describe` and `it`
export interface Given {
  MyTokenStore: new (db: unknown) => TokenStore;
  testDb: unknown;
  describe: (name: string, body: () => void) => void;
  it: (name: string, run: () => Promise<void>) => void;
}
const { MyTokenStore, testDb, describe, it } = given<Given>();

// #region contract
import { tokenStoreContract } from 'plaid-facade/testing';

describe('MyTokenStore', () => {
  for (const c of tokenStoreContract(() => new MyTokenStore(testDb))) it(c.name, c.run);
});
// #endregion
