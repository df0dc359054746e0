import type { LinkTokenGetResponse } from '../../schemas/link-token-get.js';
import type { CompleteLinkResult, UpdatedLinkItem } from '../../types.js';
import { untilAborted } from '../../webhooks/abortable.js';
import { applyEffect, healthOf } from '../../webhooks/health.js';
import type { FacadeContext } from './context.js';
import { boundedStore } from './item-health.js';

type LinkSessionRecord = NonNullable<LinkTokenGetResponse['link_sessions']>[number];

/**
 * The status of an update-mode link token's sessions (`/link/token/get`). Update mode adds no
 * Item, so `results.item_add_results` is usually empty: a session that finished without an exit
 * (no `exit`, no `EXIT` event) is the user having gone through Link for the Item. `finishedAt` is
 * when the latest such session ended.
 */
export function updateStatusOf(body: LinkTokenGetResponse): {
  status: CompleteLinkResult['status'];
  finishedAt?: Date | undefined;
} {
  const sessions = body.link_sessions ?? [];
  if (sessions.length === 0) return { status: 'unavailable' };
  const done = sessions.filter((linked) => linked.finished_at instanceof Date && !exited(linked));
  if (done.length > 0) {
    const times = done.map((linked) => (linked.finished_at as Date).getTime());
    return { status: 'completed', finishedAt: new Date(Math.max(...times)) };
  }
  if (sessions.some((linked) => linked.finished_at === undefined || linked.finished_at === null)) {
    return { status: 'pending' };
  }
  return { status: 'exited' };
}

function exited(linked: LinkSessionRecord): boolean {
  const added = linked.results?.item_add_results.length ?? 0;
  if (added > 0) return false;
  return (
    (linked.exit !== undefined && linked.exit !== null) ||
    (linked.events ?? []).some((event) => event.event_name === 'EXIT')
  );
}

/**
 * Mends the Item of a completed update-mode session as Plaid's `LOGIN_REPAIRED` webhook does,
 * through the same health update (per-Item order, never over a newer stored state): `healthy`
 * since `since`. Resolves the Item as stored afterwards, or undefined when the store no longer
 * holds it. The caller's `signal` ends its wait; a write that began finishes (bounded).
 */
export async function mendUpdatedItem(
  context: FacadeContext,
  key: { userId: string; itemId: string },
  since: Date,
  signal?: AbortSignal | undefined,
): Promise<UpdatedLinkItem | undefined> {
  signal?.throwIfAborted();
  const store = boundedStore(context);
  const update = context.locks.run(key.itemId, async () => {
    signal?.throwIfAborted();
    const found = await store.get(key);
    if (!found || found.userId !== key.userId) return undefined;
    const { item, applied } = await applyEffect(store, found, { health: { status: 'healthy', since } });
    if (!item) return undefined;
    return { itemId: item.itemId, institutionId: item.institutionId ?? null, health: healthOf(item), applied };
  });
  return untilAborted(update, signal);
}
