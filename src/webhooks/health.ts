import { TokenStoreError } from '../errors.js';
import { changedDetails } from '../stores/item-details.js';
import type { ItemDetails, ItemHealth, StoredItem, TokenStore } from '../stores/token-store.js';
import type { PlaidWebhook } from './parse.js';

/** What a webhook says of its Item: a new health, accounts gone, or nothing. */
export interface WebhookEffect {
  /** The Item's new health, if the webhook changes it. */
  health?: ItemHealth;
  /** An account the user revoked, to drop from the Item's stored accounts. */
  revokedAccountId?: string;
  /** The Item's institution, to store if the Item has none yet (learnt from `/item/get`). */
  institutionId?: string;
  /** What `/item/get` said of the Item (name, creation, consent): each given field that differs replaces the stored one. */
  details?: ItemDetails;
  /** Apply `health` only over these stored states (a call's success mends only what a call's failure broke). */
  onlyOver?: ReadonlyArray<ItemHealth['status']>;
}

/** What an ITEM webhook means for its Item's health (`since`: when Plaid signed it). */
export function webhookEffect(event: PlaidWebhook): WebhookEffect {
  if (!event.known) return {};
  const since = event.sentAt;
  switch (event.webhookCode) {
    case 'ERROR': {
      if (!event.error) return {};
      const { errorCode, errorCodeReason } = event.error;
      const status = errorCode === 'ITEM_LOGIN_REQUIRED' ? 'login_required' : 'error';
      return { health: { status, since, errorCode, ...(errorCodeReason ? { reason: errorCodeReason } : {}) } };
    }
    case 'PENDING_DISCONNECT':
      return { health: { status: 'pending_disconnect', since, disconnectAt: event.disconnectAt } };
    case 'PENDING_EXPIRATION':
      return { health: { status: 'pending_expiration', since, consentExpiresAt: event.consentExpiresAt } };
    case 'LOGIN_REPAIRED':
      return { health: { status: 'healthy', since } };
    case 'USER_PERMISSION_REVOKED':
      return {
        health: {
          status: 'revoked',
          since,
          ...(event.error ? { errorCode: event.error.errorCode } : {}),
          ...(event.error?.errorCodeReason ? { reason: event.error.errorCodeReason } : {}),
        },
      };
    case 'USER_ACCOUNT_REVOKED':
      return { revokedAccountId: event.accountId };
    default:
      return {};
  }
}

/** The health of a stored Item, reading an Item stored before 0.2 as healthy since it was stored. */
export function healthOf(item: StoredItem): ItemHealth {
  return item.health ?? { status: 'healthy', since: new Date(item.createdAt.getTime()) };
}

/**
 * Serializes the read-modify-write of one Item's health within this process, so two webhooks
 * for the same Item handled at once cannot interleave (the older one writing last). Across
 * processes the stores offer no compare-and-set; a lost race there is mended by the next
 * webhook, call or `getItem`.
 */
export class ItemLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task for `itemId` has settled. */
  run<T>(itemId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(itemId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(itemId, tail);
    void tail.then(() => {
      if (this.#tails.get(itemId) === tail) this.#tails.delete(itemId);
    });
    return result;
  }
}

/** The outcome of applying a change to a stored Item. */
export interface HealthUpdate {
  /** The Item as stored afterwards; `undefined` when the store has no such Item. */
  item: StoredItem | undefined;
  /** False when the event was older than the stored state or changed nothing (a later confirmation may still be written). */
  applied: boolean;
}

/**
 * Applies `effect` to the stored Item, unless its health is newer: an event older than the stored
 * state (by a whole second, the resolution of a webhook's `iat`) never overwrites it, and the same
 * event twice writes once. The Item is read again just
 * before the write, so one deleted meanwhile is not brought back.
 */
export async function applyEffect(store: TokenStore, found: StoredItem, effect: WebhookEffect): Promise<HealthUpdate> {
  const key = { userId: found.userId, itemId: found.itemId };
  const current = await store.get(key);
  if (!current) return { item: undefined, applied: false };
  let next: StoredItem = current;
  let changed = false;
  if (effect.health) {
    const stored = healthOf(current);
    const known = stored.updatedAt ?? stored.since;
    const at = effect.health.since;
    // Webhooks are dated to the second (`iat`): within one second neither is older.
    const older = Math.floor(at.getTime() / 1000) < Math.floor(known.getTime() / 1000);
    const notOver = effect.onlyOver !== undefined && !effect.onlyOver.includes(stored.status);
    if (!older && !notOver) {
      if (!sameHealth(stored, effect.health)) {
        next = { ...next, health: effect.health };
        changed = true;
      } else if (at.getTime() > known.getTime()) {
        // The same state, confirmed later (e.g. Plaid re-signed a redelivery): it began when it began.
        next = { ...next, health: { ...stored, updatedAt: at } };
      }
    }
  }
  if (effect.institutionId !== undefined && current.institutionId === undefined) {
    next = { ...next, institutionId: effect.institutionId };
    changed = true;
  }
  const details = effect.details && changedDetails(current, effect.details);
  if (details) {
    next = { ...next, ...details };
    changed = true;
  }
  if (effect.revokedAccountId !== undefined && current.accounts?.some((a) => a.accountId === effect.revokedAccountId)) {
    next = { ...next, accounts: current.accounts.filter((a) => a.accountId !== effect.revokedAccountId) };
    changed = true;
  }
  if (next === current) return { item: current, applied: false };
  await store.set(next);
  return { item: next, applied: changed };
}

/** `store.findByItemId`, or a clear error for a store written before 0.2 that lacks it. */
export async function findItem(store: TokenStore, itemId: string): Promise<StoredItem | undefined> {
  if (typeof store.findByItemId !== 'function') {
    throw new TokenStoreError(
      'The token store has no findByItemId(itemId): webhooks name only the Item, so webhooks.handle needs it (every shipped store has it; see docs/token-storage.md)',
      { code: 'TOKEN_STORE_UNSUPPORTED', itemId },
    );
  }
  return store.findByItemId(itemId);
}

// The same state whenever it began: Plaid re-signs a webhook it delivers again (a new `iat`), and
// `since` stays when the state first began.
function sameHealth(a: ItemHealth, b: ItemHealth): boolean {
  const time = (date: Date | undefined) => date?.getTime();
  return (
    a.status === b.status &&
    a.errorCode === b.errorCode &&
    a.reason === b.reason &&
    time(a.disconnectAt) === time(b.disconnectAt) &&
    time(a.consentExpiresAt) === time(b.consentExpiresAt)
  );
}
