// docs/token-storage.md: the shapes of TokenStore's methods, as your code calls them (type-checked
// against the real interface; test/docs/docs-snippets-run.test.ts runs it over a MemoryTokenStore).
import type { StoredItem, TokenStore } from 'plaid-facade';

export async function shapes(store: TokenStore, userId: string, itemId: string) {
  // #region shapes
  // Every key is one object { userId, itemId }: get({ userId, itemId }), never get(userId, itemId).
  await store.set({ userId, itemId, accessToken: 'access-sandbox-…', createdAt: new Date() }); // replaces
  const item: StoredItem | undefined = await store.get({ userId, itemId }); // undefined when absent
  const all: StoredItem[] = await store.list(userId); // every Item of that one user
  const found = await store.findByItemId?.(itemId); // optional: webhooks name only the Item
  await store.probe?.(); // optional: exchange calls it before it spends a public token
  await store.delete({ userId, itemId }); // deleting what is not there is not an error
  // #endregion
  return { item, all, found };
}
