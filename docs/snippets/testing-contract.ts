// Your own store and your test runner's `it`, as far as this snippet needs them.
import type { TokenStore } from 'plaid-facade';

declare class MyTokenStore implements TokenStore {
  get: TokenStore['get'];
  set: TokenStore['set'];
  delete: TokenStore['delete'];
  list: TokenStore['list'];
}
declare function it(name: string, run: () => Promise<void>): void;

// #region contract
import { tokenStoreContract } from 'plaid-facade/testing';

for (const check of tokenStoreContract(() => new MyTokenStore())) it(check.name, check.run);
// #endregion
