import { needsUser } from '../../pipeline/classify.js';
import type { ItemHealth, StoredItem, TokenStore } from '../../stores/token-store.js';
import { applyEffect, healthOf } from '../../webhooks/health.js';
import { type FacadeContext, storeBound } from './context.js';

// The states our own calls can explain, hence mend: a webhook's pending or revoked state is left to webhooks.
const mendable: ReadonlyArray<ItemHealth['status']> = ['login_required', 'error'];

/**
 * Runs one Plaid call for a stored Item and keeps the Item's health in step with the answer: a
 * failure saying the Item needs its user (`ITEM_LOGIN_REQUIRED`, ...) marks it, a later success
 * clears that mark. Health writes are best effort: a store failure here never changes the call's
 * own result (the next call, webhook or `getItem` tries again).
 */
export async function withItemHealth<T>(context: FacadeContext, item: StoredItem, run: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    if (needsUser(error)) {
      const status = error.errorCode === 'ITEM_LOGIN_REQUIRED' ? 'login_required' : 'error';
      const reason = error.errorCodeReason ? { reason: error.errorCodeReason } : {};
      await update(context, item, { health: { status, since: new Date(), errorCode: error.errorCode, ...reason } });
    }
    throw error;
  }
  if (mendable.includes(healthOf(item).status)) {
    await update(context, item, { health: { status: 'healthy', since: new Date() }, onlyOver: mendable });
  }
  return result;
}

async function update(context: FacadeContext, item: StoredItem, effect: Parameters<typeof applyEffect>[2]) {
  await context.locks.run(item.itemId, () => applyEffect(boundedStore(context), item, effect)).catch(() => undefined);
}

/**
 * The facade's store with every call bounded by `tokenStoreTimeoutMs` and its failures made
 * `TokenStoreError`s: what webhooks and health updates read and write through. An Item this facade
 * removed at Plaid after its exchange's write failed reads as absent (its record may still land).
 */
export function boundedStore(context: FacadeContext): TokenStore {
  const { store } = context;
  const bounded: TokenStore = {
    get: async (key) =>
      context.removed.has(key.itemId)
        ? undefined
        : storeBound(context, `Reading Item ${key.itemId}`, key.itemId, () => store.get(key)),
    set: (item) => storeBound(context, `Writing Item ${item.itemId}`, item.itemId, () => store.set(item)),
    delete: (key) => storeBound(context, `Deleting Item ${key.itemId}`, key.itemId, () => store.delete(key)),
    list: (userId) => storeBound(context, `Listing the Items of user ${userId}`, undefined, () => store.list(userId)),
  };
  const find = store.findByItemId;
  // Left out when the store lacks it, so that webhooks.handle can say so.
  if (typeof find === 'function') {
    bounded.findByItemId = async (itemId) =>
      context.removed.has(itemId)
        ? undefined
        : storeBound(context, `Finding Item ${itemId}`, itemId, () => find.call(store, itemId));
  }
  return bounded;
}
