import type { StoredItem, TokenStore } from '../stores/token-store.js';
import { linkRecordCases } from './link-record-contract.js';
import { operationCases } from './token-store-operation-cases.js';
import { recordCases } from './token-store-record-cases.js';
import { Scope } from './token-store-scope.js';

/** One case of the token store contract: a name for the test runner and the check itself. */
export interface TokenStoreContractCase {
  /** What the case checks, usable as a test name. */
  readonly name: string;
  /** Runs the check; rejects (with an `AssertionError`) when the store breaks the contract. */
  readonly run: () => Promise<void>;
}

/**
 * Makes the store under test: called once per case.
 * @inline
 */
export type MakeTokenStore = () => TokenStore | Promise<TokenStore>;

/**
 * The behaviour every `TokenStore` must have, as test cases that need no particular test framework
 * (they use `node:assert/strict`). Run them with any runner:
 *
 * ```ts
 * for (const c of tokenStoreContract(() => new MyStore())) it(c.name, c.run);
 * ```
 *
 * `makeStore` is called once per case; it may return the same backing storage each time. Every
 * case uses user ids no other case or run uses, and deletes what it wrote when it passes, so cases
 * can share a database. Use a unique key prefix or table per run if several runs share a server.
 */
export function tokenStoreContract(makeStore: MakeTokenStore): TokenStoreContractCase[] {
  return [...recordCases, ...operationCases, ...linkRecordCases].map(({ name, check }) => ({
    name,
    run: async () => {
      const store = await makeStore();
      const written: StoredItem[] = [];
      const scope = new Scope(store, written);
      await check(scope);
      // Only after success: a failing case leaves its records for inspection. Best effort: the
      // checks above already judged delete, cleaning up is not part of the verdict.
      const keys = new Map(written.map((item) => [JSON.stringify([item.userId, item.itemId]), item]));
      for (const item of keys.values()) {
        await store.delete({ userId: item.userId, itemId: item.itemId }).catch(() => undefined);
      }
    },
  }));
}
