import type { ListedRecords, StoredItem } from '../../stores/token-store.js';
import { type FacadeContext, storeBound } from './context.js';

/**
 * The user's records as the facade may use them: the store's list (its `listRecords` when it has
 * one, so that one unreadable record is reported on its own instead of failing the whole list),
 * bounded by `tokenStoreTimeoutMs` and the caller's signal, without another user's records (a store
 * that returns them would leak Items across users) and without Items this facade removed at Plaid
 * whose record may still be in the store.
 */
export async function userItems(
  context: FacadeContext,
  userId: string,
  signal: AbortSignal | undefined,
): Promise<ListedRecords> {
  const { store } = context;
  const listRecords = store.listRecords;
  const listed = await storeBound(
    context,
    `Listing the Items of user ${userId}`,
    undefined,
    async (): Promise<ListedRecords> =>
      typeof listRecords === 'function'
        ? listRecords.call(store, userId)
        : { items: await store.list(userId), unreadable: [] },
    signal,
  );
  const kept = (item: Pick<StoredItem, 'itemId'>) => !context.removed.has(item.itemId);
  return {
    items: (listed.items ?? []).filter((item) => item.userId === userId && kept(item)),
    unreadable: (listed.unreadable ?? []).filter(kept),
  };
}
