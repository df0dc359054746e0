import type { ItemAccount, ItemHealth } from './item-health.js';

export type { ItemAccount, ItemHealth, ItemHealthStatus } from './item-health.js';

/** Identifies one Item of one user: the key under which its access token is kept. */
export interface ItemKey {
  /** Your application's id for the user (Plaid's `client_user_id`). */
  userId: string;
  /** Plaid's `item_id`. */
  itemId: string;
}

/** What a token store keeps for one Item. */
export interface StoredItem extends ItemKey {
  /** The Item's access token: a key to the user's bank data. Never log it. */
  accessToken: string;
  /** Plaid's id of the institution, when known. */
  institutionId?: string | undefined;
  /** When the access token was obtained. */
  createdAt: Date;
  /**
   * The Item's health as last learnt (webhooks, the facade's own calls, `getItem`). Absent on Items
   * stored before 0.2: read that as healthy since `createdAt`.
   */
  health?: ItemHealth | undefined;
  /** The Item's accounts (ids, names, masks, types), when known: from Link's metadata or a Plaid answer. */
  accounts?: ItemAccount[] | undefined;
}

/**
 * Where plaid-facade keeps access tokens. Implementations must keep users apart: `get`, `delete`
 * and `list` never return or touch another user's Items.
 */
export interface TokenStore {
  /** The stored Item, or `undefined` when there is none for that user and Item. */
  get(key: ItemKey): Promise<StoredItem | undefined>;
  /** Stores an Item, replacing any stored for the same user and Item. */
  set(item: StoredItem): Promise<void>;
  /** Removes an Item; removing one that is not there is not an error. */
  delete(key: ItemKey): Promise<void>;
  /** Every Item stored for a user, in no particular order. */
  list(userId: string): Promise<StoredItem[]>;
  /**
   * The Item with Plaid's `item_id`, whoever its user (webhooks name only the Item). Every shipped
   * store has it; `webhooks.handle` needs it and says so when a store lacks it. Item ids are unique
   * at Plaid; if a store holds one under two users, it returns the one written last.
   */
  findByItemId?(itemId: string): Promise<StoredItem | undefined>;
  /**
   * A cheap check that the store can keep an Item now (its table exists, its server answers),
   * throwing `TokenStoreError` naming the fix when not. `exchange` calls it before spending the
   * public token, so a missing `ensureSchema()` or a down store fails with the token still unused.
   * Optional: a store without it is written to directly.
   */
  probe?(): Promise<void>;
}
