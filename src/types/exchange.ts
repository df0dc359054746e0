/** The input and result of `exchange`. */
import type { LinkSuccessMetadata } from '../schemas/link-metadata.js';

/** Input of `exchange`. */
export interface ExchangeInput {
  /** Your application's id for the user who went through Link. */
  userId: string;
  /** The public token Link handed back. Single use; lives 30 minutes. */
  publicToken: string;
  /**
   * Link's `onSuccess` metadata, as the browser received it (`institution`, `accounts` with `id`,
   * `name`, `mask`, `type`, `subtype`). Given, it is stored with the Item and checked for a
   * duplicate Item before the exchange; left out, the facade asks the free `/accounts/get` instead.
   */
  metadata?: LinkSuccessMetadata | undefined;
}

/** Result of `exchange`: the access token went to the token store, not to the caller. */
export interface ExchangeResult {
  /** The user, as given. */
  userId: string;
  /** Plaid's id of the new Item. */
  itemId: string;
  /**
   * Plaid's request id (of the exchange that made the Item; `''` when this caller did not send it,
   * see `newlyExchanged`).
   */
  requestId: string;
  /**
   * True for the one caller whose `/item/public_token/exchange` made the Item; false for every
   * other delivery of the same public token (the browser, a LINK webhook, `completeLink`, in any
   * process sharing the token store), which gets the same Item without a second exchange.
   */
  newlyExchanged: boolean;
}
