import type { TokenStoreError } from '../errors.js';
import type { ItemDetails } from './item-details.js';
import type { ItemAccount, ItemHealth } from './item-health.js';

export type { ItemConsent, ItemDetails } from './item-details.js';
export type { ItemAccount, ItemHealth, ItemHealthStatus } from './item-health.js';

/** Identifies one Item of one user: the key under which its access token is kept. */
export interface ItemKey {
  /** Your application's id for the user (Plaid's `client_user_id`). */
  userId: string;
  /** Plaid's `item_id`. */
  itemId: string;
}

/**
 * What a token store keeps for one Item. Besides the fields below, the optional `ItemDetails`
 * (`institutionName`, `itemCreatedAt`, `consent`) that `getItem` learns from `/item/get`: a store
 * keeps them as it keeps `health` (absent on Items stored before 0.3).
 */
export interface StoredItem extends ItemKey, ItemDetails {
  /** The Item's access token: a key to the user's bank data. Never log it. */
  accessToken: string;
  /** Plaid's id of the institution, when known. */
  institutionId?: string | undefined;
  /** When the access token was obtained (not when Plaid created the Item: that is `itemCreatedAt`). */
  createdAt: Date;
  /**
   * The Item's health as last learnt (webhooks, the facade's own calls, `getItem`). Absent on Items
   * stored before 0.2: read that as healthy since `createdAt`.
   */
  health?: ItemHealth | undefined;
  /** The Item's accounts (ids, names, masks, types), when known: from Link's metadata or a Plaid answer. */
  accounts?: ItemAccount[] | undefined;
}

/** A stored record that cannot be read (its key was dropped, it was tampered with, it is malformed). */
export interface UnreadableRecord {
  /** The Item whose record it is. */
  itemId: string;
  /** Why it cannot be read (`code` e.g. `'TOKEN_KEY_UNKNOWN'`, `'TOKEN_RECORD_INVALID'`); it holds no token. */
  error: TokenStoreError;
}

/** What `TokenStore.listRecords` returns: the readable Items and, apart, the records that are not. */
export interface ListedRecords {
  /** The Items whose records could be read. */
  items: StoredItem[];
  /** The records that could not be read, each with its Item id and why. */
  unreadable: UnreadableRecord[];
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
   * Like `list`, but a record that cannot be read is reported in `unreadable` (with its Item id)
   * instead of failing the whole list. Optional: the facade uses it when present (`listItems`,
   * `getAllBalances` and the duplicate guard then fail one Item, not the user). `EncryptedTokenStore`
   * has it.
   */
  listRecords?(userId: string): Promise<ListedRecords>;
  /**
   * The link record under `key`, or `undefined` when there is none (or it is past its `expiresAt`
   * and the store has dropped it). Link records are small notes the facade keeps while linking
   * (exchange claims, link sessions, Plaid's user ids): never a token, only digests and ids. Every
   * shipped store has the three link-record methods; exactly-once exchanges across processes,
   * `completeLink`, LINK webhooks and `users.ensure` need them and say so when a store lacks them.
   */
  getLinkRecord?(key: string): Promise<LinkRecord | undefined>;
  /**
   * Writes a link record atomically, only if the condition holds, and says whether it wrote:
   * `expected: null` writes only when no record is there (set-if-absent); a string writes only when
   * the record's value is exactly that string (compare-and-set); `undefined` writes whatever is there.
   */
  setLinkRecord?(record: LinkRecord, expected?: string | null): Promise<boolean>;
  /** Deletes a link record, only if its value is `expected` when given; says whether it deleted. */
  deleteLinkRecord?(key: string, expected?: string): Promise<boolean>;
  /**
   * A cheap check that the store can keep an Item now (its table exists, its server answers),
   * throwing `TokenStoreError` naming the fix when not. `exchange` calls it before spending the
   * public token, so a missing `ensureSchema()` or a down store fails with the token still unused.
   * Optional: a store without it is written to directly.
   */
  probe?(): Promise<void>;
}

/**
 * A small note the facade keeps while linking (see `TokenStore.getLinkRecord`). Keys are at most
 * 300 characters of printable ASCII; values are JSON text of at most 4 KiB.
 */
export interface LinkRecord {
  /** What the record is about, e.g. `claim:<SHA-256 of a public token>`. */
  key: string;
  /** The record's content (JSON text), compared exactly by `setLinkRecord` and `deleteLinkRecord`. */
  value: string;
  /**
   * From when the store may forget the record (it must keep it until then); `undefined` keeps it.
   * A store that never forgets is correct, only larger: the facade reads its own deadlines in `value`.
   */
  expiresAt?: Date | undefined;
}
