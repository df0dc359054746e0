import { TokenStoreError } from './errors.js';
import { redactSecrets } from './redact.js';
import { STORE_WRITE_ATTEMPTS, writeItemWithRetry } from './store-access.js';
import type { StoredItem, TokenStore } from './stores/token-store.js';

/** What keeping a freshly exchanged access token needs. */
export interface SaveExchangedItem {
  store: TokenStore;
  item: StoredItem;
  /** Removes the new Item at Plaid, with the access token still in memory. */
  removeAtPlaid: () => Promise<unknown>;
  secrets: ReadonlyArray<string | undefined>;
}

/**
 * Keeps the access token Plaid just issued. The write is retried; if the store still fails, the
 * Item is removed at Plaid so that no Item stays billed with a token nobody holds, and the caller
 * gets a `TokenStoreError` (code `TOKEN_STORE_WRITE_FAILED`) saying whether that removal worked.
 * The token itself is never logged, put in the error, or handed back.
 */
export async function saveExchangedItem({ store, item, removeAtPlaid, secrets }: SaveExchangedItem): Promise<void> {
  const written = await writeItemWithRetry(store, item);
  if (written.ok) return;
  let itemRemoved = false;
  try {
    await removeAtPlaid();
    itemRemoved = true;
  } catch {
    // Reported through `itemRemoved` below; the removal's own error may name the token's Item only.
  }
  const outcome = itemRemoved
    ? 'The Item was removed at Plaid so that nothing stays billed; ask the user to link again.'
    : `Removing the Item at Plaid failed too: Item ${item.itemId} is orphaned at Plaid and its access token is lost; remove it from the Plaid Dashboard.`;
  throw new TokenStoreError(
    `Plaid issued an access token for Item ${item.itemId}, but the token store failed ${STORE_WRITE_ATTEMPTS} times to keep it. ${outcome}`,
    {
      cause: written.error,
      itemId: item.itemId,
      itemRemoved,
      code: 'TOKEN_STORE_WRITE_FAILED',
      redact: (text) => redactSecrets(text, secrets),
    },
  );
}
