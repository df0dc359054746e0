// docs/migrating.md: moving the access tokens you already hold into a token store.
import type { TokenStore } from 'plaid-facade';

declare const tokenStore: TokenStore; // the store you give createPlaidFacade
declare const db: {
  allTokens(): Promise<Array<{ userId: string; itemId: string; accessToken: string; createdAt: Date }>>;
};

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
