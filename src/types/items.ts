/** The inputs and results of `removeItem`, `getItem` and `listItems`. */
import type { TokenStoreError } from '../errors.js';
import type { ItemAccount, ItemConsent, ItemHealth } from '../stores/token-store.js';

export type { ItemConsent } from '../stores/token-store.js';

/** Plaid's `ProductsTerminateReasonCode`: why an Item is removed (`removeItem`'s `reason`). */
export type RemoveItemReason =
  | 'FRAUD_FIRST_PARTY'
  | 'FRAUD_FALSE_IDENTITY'
  | 'FRAUD_ABUSE'
  | 'FRAUD_OTHER'
  | 'CONSUMER_LOAN_PAID_OFF'
  | 'CONSUMER_ACCOUNT_CLOSED'
  | 'CONSUMER_CHARGE_OFF'
  | 'CONSUMER_PAYMENT_METHOD_SWITCHED'
  | 'USER_OFFBOARDING'
  | 'DUPLICATE_ITEM'
  | 'BILLING_TERMINATION'
  | 'OTHER';

/** Input of `removeItem`. */
export interface RemoveItemInput {
  /** Your application's id for the user. */
  userId: string;
  /** The Item to remove. */
  itemId: string;
  /**
   * Why, as Plaid's `reason_code` of `/item/products/terminate`. Default `'USER_OFFBOARDING'`.
   * Where the facade falls back to `/item/remove`, a reason that endpoint does not know is left out.
   */
  reason?: RemoveItemReason | undefined;
  /**
   * What to do when the stored record can never be read again (it cannot be decrypted, e.g. its
   * key was dropped from `EncryptedTokenStore`'s list, or it is malformed): `'fail'` (default)
   * throws the `TokenStoreError`; `'delete'` deletes the record without calling Plaid (there is no
   * token to call it with) and resolves with `requestId: ''`. The Item then stays at Plaid:
   * remove it from the Plaid Dashboard.
   */
  unreadable?: 'fail' | 'delete' | undefined;
}

/** Result of `removeItem`. */
export interface RemoveItemResult {
  /** The user, as given. */
  userId: string;
  /** The Item removed. */
  itemId: string;
  /** Plaid's request id; when the Item was already gone at Plaid, that of Plaid's answer saying so (`''` if it had none). */
  requestId: string;
}

/** Input of `getItem`. */
export interface GetItemInput {
  /** Your application's id for the user. */
  userId: string;
  /** The Item to read. */
  itemId: string;
}

/**
 * Result of `getItem`. `institutionName`, `createdAt` and `consent` are also kept with the Item
 * when Plaid gives them, so `listItems` returns them without calling Plaid.
 */
export interface GetItemResult {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** Plaid's id of the Item's institution, or null when Plaid has none. */
  institutionId: string | null;
  /** The institution's name (`institution_name`), or null when Plaid gave none. */
  institutionName: string | null;
  /** When the Item was created at Plaid (`created_at`), or null when Plaid gave no date. */
  createdAt: Date | null;
  /** The Item's consent as Plaid keeps it (empty lists and null where Plaid gave nothing). */
  consent: ItemConsent;
  /** The Item's health after Plaid's answer (as now stored). */
  health: ItemHealth;
  /** Plaid's request id. */
  requestId: string;
}

/** Input of `listItems`. */
export interface ListItemsInput {
  /** Your application's id for the user. */
  userId: string;
}

/** One Item of `listItems`: what the store knows of it, never its token. */
export interface ListedItem {
  /** Plaid's Item id. */
  itemId: string;
  /** Plaid's institution id, or null when not known. */
  institutionId: string | null;
  /** The Item's health (an Item stored before 0.2 reads as healthy since it was stored). */
  health: ItemHealth;
  /** The Item's accounts as stored (ids, names, masks, types), `[]` when not known. */
  accounts: ItemAccount[];
  /**
   * The institution's name as `getItem` last learnt it from Plaid (`institution_name`), so a
   * service can show the bank without calling Plaid. Absent until a `getItem` for the Item (or
   * when Plaid gave none).
   */
  institutionName?: string | undefined;
  /** When the Item was created at Plaid (`created_at`), as `getItem` last learnt it; absent until then. */
  createdAt?: Date | undefined;
  /** The Item's consent as `getItem` last learnt it (`consent_expiration_time`, `consented_*`); absent until then. */
  consent?: ItemConsent | undefined;
  /**
   * Only on an Item whose record cannot be read (its key was dropped, it was tampered with, it is
   * malformed): why (`code` e.g. `'TOKEN_KEY_UNKNOWN'`). Its `health` is then `error` with that code.
   * Calls for it fail the same way; `removeItem` with `unreadable: 'delete'` drops the record.
   */
  error?: TokenStoreError | undefined;
}
