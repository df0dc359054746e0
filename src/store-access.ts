import { TokenNotFoundError, TokenStoreError } from './errors.js';
import { redactSecrets } from './redact.js';
import { storeCall } from './stores/store-error.js';
import type { ItemKey, StoredItem, TokenStore } from './stores/token-store.js';

/**
 * Reads an Item's access token, failing with `TokenNotFoundError` when there is none and with
 * `TokenStoreError` when the store itself fails.
 */
export async function readItem(store: TokenStore, key: ItemKey): Promise<StoredItem> {
  const item = await storeCall(`Reading the access token of Item ${key.itemId}`, { itemId: key.itemId }, () =>
    store.get({ userId: key.userId, itemId: key.itemId }),
  );
  // A store that returns another user's record would leak an Item across users: refuse it.
  if (!item || item.userId !== key.userId || item.itemId !== key.itemId) {
    throw new TokenNotFoundError(key.userId, key.itemId);
  }
  return item;
}

/** Attempts (first try included) to keep a fresh access token before giving up on the store. */
export const STORE_WRITE_ATTEMPTS = 3;

/**
 * Writes an Item to the store, retrying a failed write a bounded number of times with a short
 * pause. Resolves with the last error when every attempt failed, so the caller can decide what
 * becomes of the token; never throws.
 */
export async function writeItemWithRetry(
  store: TokenStore,
  item: StoredItem,
  pauseMs = 100,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= STORE_WRITE_ATTEMPTS; attempt++) {
    try {
      await store.set(item);
      return { ok: true };
    } catch (error) {
      lastError = error;
      if (attempt < STORE_WRITE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
  return { ok: false, error: lastError };
}

/**
 * The error of a removal that Plaid carried out but the store could not record: always a fresh
 * `TokenStoreError` with `itemRemoved: true`, whatever the store threw, so the caller knows the
 * Item is gone at Plaid and that calling `removeItem` again finishes the job.
 */
export function deleteAfterRemovalFailed(
  error: unknown,
  itemId: string,
  secrets: ReadonlyArray<string | undefined>,
): TokenStoreError {
  return new TokenStoreError(
    `Item ${itemId} was removed at Plaid, but its access token could not be deleted from the store; call removeItem again to finish`,
    { cause: error, itemId, itemRemoved: true, redact: (text) => redactSecrets(text, secrets) },
  );
}
