/**
 * The facade's operations: their inputs and results, and the `PlaidFacade` interface that
 * `createPlaidFacade` returns and `createMockFacade` implements. Options are in options.ts.
 */
import type { CallOptions } from './options.js';
import type { Account } from './schemas/accounts-balance-get.js';
import type { CountryCode, Product } from './schemas/enums.js';

/** Input of `linkToken`. */
export interface LinkTokenInput {
  /** Your application's id for the user (sent as `user.client_user_id`). */
  userId: string;
  /** Products to initialise Link with. Default `['auth']`; `balance` needs none of its own. */
  products?: Product[] | undefined;
  /** Countries whose institutions Link lists. Default `['US']`. */
  countryCodes?: CountryCode[] | undefined;
  /** Language of Link. Default `'en'`. */
  language?: string | undefined;
  /** Your app's name, as Link shows it. Default: the facade's `clientName`. */
  clientName?: string | undefined;
  /** Where Plaid sends this Item's webhooks. */
  webhook?: string | undefined;
  /** OAuth redirect URI, registered in the Plaid dashboard. */
  redirectUri?: string | undefined;
  /** Update mode: the Item to repair. Its access token is read from the token store. */
  itemId?: string | undefined;
}

/** Result of `linkToken`. */
export interface LinkTokenResult {
  /** The token to open Link with. */
  linkToken: string;
  /** When the link token expires. */
  expiration: Date;
  /** Plaid's request id. */
  requestId: string;
}

/** Input of `exchange`. */
export interface ExchangeInput {
  /** Your application's id for the user who went through Link. */
  userId: string;
  /** The public token Link handed back. Single use; lives 30 minutes. */
  publicToken: string;
}

/** Result of `exchange`: the access token went to the token store, not to the caller. */
export interface ExchangeResult {
  /** The user, as given. */
  userId: string;
  /** Plaid's id of the new Item. */
  itemId: string;
  /** Plaid's request id. */
  requestId: string;
}

/** Input of `getBalances`. */
export interface BalancesInput {
  /** Your application's id for the user, as given to `exchange`. */
  userId: string;
  /** The Item to read, as `exchange` returned it. */
  itemId: string;
  /** Only these accounts. Default: every account of the Item. */
  accountIds?: string[] | undefined;
  /** The oldest balance acceptable; some institutions (e.g. Capital One) need it. */
  minLastUpdated?: Date | undefined;
}

/** Result of `getBalances`. */
export interface BalancesResult {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** Plaid's request id. */
  requestId: string;
  /** When plaid-facade received Plaid's answer. */
  fetchedAt: Date;
  /** The Item's accounts (or those of `accountIds`), each with its real-time balance. */
  accounts: Account[];
}

/** Input of `removeItem`. */
export interface RemoveItemInput {
  /** Your application's id for the user. */
  userId: string;
  /** The Item to remove. */
  itemId: string;
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

/** The facade: what `createPlaidFacade` returns and `createMockFacade` imitates. */
export interface PlaidFacade {
  /** Creates a Link token (`/link/token/create`); with `itemId`, one for update mode. */
  linkToken(input: LinkTokenInput, options?: CallOptions): Promise<LinkTokenResult>;
  /** Exchanges a public token (`/item/public_token/exchange`) and stores the access token. */
  exchange(input: ExchangeInput, options?: CallOptions): Promise<ExchangeResult>;
  /** Reads real-time balances (`/accounts/balance/get`). */
  getBalances(input: BalancesInput, options?: CallOptions): Promise<BalancesResult>;
  /** Removes the Item at Plaid (`/item/remove`), then its access token from the store. */
  removeItem(input: RemoveItemInput, options?: CallOptions): Promise<RemoveItemResult>;
  /**
   * Rejects the calls still waiting for the rate limiter and releases what the facade holds open.
   * With limits shared through Redis, the connections close in the background once the slots of
   * calls already started reach the end of their windows (at most one window), so that other
   * processes get those slots back on time.
   */
  close(): Promise<void>;
}
