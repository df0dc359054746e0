// docs/migrating.md: moving the access tokens you already hold into a token store.
// test/docs/docs-snippets-run.test.ts calls `importTokens` with a store and a "database" of tokens that
// the fake Plaid issued, then reads balances through a facade over that store.
import type { TokenStore } from 'plaid-facade';

export async function importTokens({
  tokenStore, // the store you give createPlaidFacade
  db,
}: {
  tokenStore: TokenStore;
  db: { allTokens(): Promise<Array<{ userId: string; itemId: string; accessToken: string; createdAt: Date }>> };
}) {
  // #region import-tokens
  for (const row of await db.allTokens()) {
    await tokenStore.set({
      userId: row.userId,
      itemId: row.itemId,
      accessToken: row.accessToken,
      createdAt: row.createdAt,
    });
  }
  // #endregion
}
