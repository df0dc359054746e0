// Code of docs/item-health.md. `plaid` is your facade; `userId`, `itemId` come from your app: the
// parameters of `examples`, which test/docs/docs-snippets-run.test.ts calls with a facade over the fake Plaid.
import type { PlaidFacade } from 'plaid-facade';

export async function examples({ plaid, userId, itemId }: { plaid: PlaidFacade; userId: string; itemId: string }) {
  // #region list
  const items = await plaid.listItems({ userId }); // the store only: no Plaid call, never a token
  for (const item of items) {
    if (item.health.status === 'login_required') console.log(`${item.itemId}: ask the user to reconnect`);
  }
  // #endregion

  // #region reconnect
  // Update mode: the same Item, the user logs in again in Link (no new exchange afterwards).
  const { linkToken } = await plaid.linkToken({ userId, itemId });
  // After NEW_ACCOUNTS_AVAILABLE: let the user pick which accounts to share.
  const selection = await plaid.linkToken({ userId, itemId, update: { accountSelectionEnabled: true } });
  // When Link's onSuccess fires, ask Plaid (free /item/get) rather than trusting the browser:
  const { health } = await plaid.getItem({ userId, itemId });
  // #endregion
  return { items, linkToken, selection, health };
}
