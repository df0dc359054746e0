import type { ItemKey } from '../../stores/token-store.js';
import { type FacadeContext, storeBound } from './context.js';

/** Deletes sent at most while reconciling one record (the first at once, then after each pause). */
export const RECONCILE_ATTEMPTS = 5;

/** The first pause between deletes; each next one is twice as long. */
const firstPauseMs = 200;

/**
 * How long the reconciliation waits for the exchange's writes to settle: four store bounds (at
 * least a second), so a store that thaws soon after the exchange gave up is reconciled in order.
 */
function waitForWritesMs(context: FacadeContext): number {
  return Math.max(1_000, 4 * context.options.tokenStoreTimeoutMs);
}

/**
 * After an exchange whose token write failed or timed out and whose Item was then removed at Plaid:
 * the write may still land (a frozen database that thaws commits it), and a record of a removed
 * Item would be listed as healthy, fail every read, and be taken for a duplicate when the user links
 * again. So the facade treats the write as possibly applied:
 *
 * - at once, the Item joins `context.removed`: this facade never serves, lists or counts its record;
 * - in the background (`close()` waits for it), the record is deleted once the writes have settled
 *   (waited for within a bound), so that the delete is not overtaken by the write it cleans up
 *   after; a failed delete is retried with growing pauses; a `record-reconciled` event says how it
 *   ended;
 * - should a write settle only after that, one more delete follows it (unless the facade is closed).
 *
 * Never rejects.
 */
export async function reconcileRecord(
  context: FacadeContext,
  key: ItemKey,
  writes: ReadonlyArray<Promise<unknown>>,
): Promise<void> {
  context.removed.add(key.itemId);
  const settled = Promise.allSettled(writes).then(() => true);
  let writesSettled = false;
  void settled.then(() => {
    writesSettled = true;
  });
  const deadline = Date.now() + waitForWritesMs(context);
  let attempts = 0;
  let deletedAfterWrites = false;
  let deleted = false;
  let pauseMs = firstPauseMs;
  while (attempts < RECONCILE_ATTEMPTS) {
    // Give the writes a chance to settle first, within what is left of the bound.
    await firstOf(settled, Math.max(0, deadline - Date.now()));
    const before = writesSettled;
    attempts += 1;
    try {
      await storeBound(context, `Deleting the record of removed Item ${key.itemId}`, key.itemId, () =>
        context.store.delete(key),
      );
      deleted = true;
      deletedAfterWrites = before;
      break;
    } catch {
      // Tried again after the pause.
    }
    if (attempts < RECONCILE_ATTEMPTS) await firstOf(settled, pauseMs);
    pauseMs *= 2;
  }
  context.pipeline.emit({
    type: 'record-reconciled',
    endpoint: '/item/public_token/exchange',
    itemId: key.itemId,
    outcome: deletedAfterWrites ? 'deleted' : deleted ? 'write-pending' : 'failed',
    attempts,
  });
  if (!deletedAfterWrites) {
    // A write still under way may land at any time: delete once more when it does.
    void settled.then(() => {
      if (context.pipeline.state?.closed) return;
      void storeBound(context, `Deleting the record of removed Item ${key.itemId}`, key.itemId, () =>
        context.store.delete(key),
      ).catch(() => {});
    });
  }
}

/** Resolves when `promise` settles or `ms` passes, whichever is first. */
async function firstOf(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
