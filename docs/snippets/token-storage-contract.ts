// Your own store, its test database and your test runner, as far as this snippet needs them.
import type { TokenStore } from 'plaid-facade';

declare class MyTokenStore implements TokenStore {
  constructor(db: unknown);
  get: TokenStore['get'];
  set: TokenStore['set'];
  delete: TokenStore['delete'];
  list: TokenStore['list'];
}
declare const testDb: unknown;
declare function describe(name: string, body: () => void): void;
declare function it(name: string, run: () => Promise<void>): void;

// #region contract
import { tokenStoreContract } from 'plaid-facade/testing';

describe('MyTokenStore', () => {
  for (const c of tokenStoreContract(() => new MyTokenStore(testDb))) it(c.name, c.run);
});
// #endregion
