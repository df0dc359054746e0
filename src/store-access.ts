import { PlaidFacadeError, TokenNotFoundError, TokenStoreError } from './errors.js';
import { redactSecrets } from './redact.js';
import type { ItemKey, StoredItem, TokenStore } from './stores/token-store.js';

/**
 * Reads an Item's access token, failing with `TokenNotFoundError` when there is none and with
 * `TokenStoreError` when the store itself fails.
 */
export async function readItem(store: TokenStore, key: ItemKey): Promise<StoredItem> {
  let item: StoredItem | undefined;
  try {
    item = await store.get({ userId: key.userId, itemId: key.itemId });
  } catch (error) {
    throw asStoreError(error, `Could not read the access token of Item ${key.itemId}`, key.itemId, []);
  }
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

/** Wraps a store failure in `TokenStoreError`, keeping typed errors the store threw itself. */
export function asStoreError(
  error: unknown,
  message: string,
  itemId: string,
  secrets: ReadonlyArray<string | undefined>,
  extra: { itemRemoved?: boolean } = {},
): PlaidFacadeError {
  if (error instanceof PlaidFacadeError && extra.itemRemoved === undefined) return error;
  const redact = (text: string) => redactSecrets(text, secrets);
  return new TokenStoreError(message, { cause: error, itemId, redact, ...extra });
}
