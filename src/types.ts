import type { PlaidApi } from 'plaid';
import type { PlaidFacadeEvent } from './events.js';
import type { RateLimitOptions } from './pipeline/rate-limit-options.js';
import type { RetryOptions } from './pipeline/retry-options.js';
import type { Account } from './schemas/accounts-balance-get.js';
import type { CountryCode, Product } from './schemas/enums.js';
import type { TokenStore } from './stores/token-store.js';

/** Plaid's environments. The Development environment is retired. */
export type PlaidEnvironment = 'sandbox' | 'production';

/** Options of `createPlaidFacade`. */
export interface PlaidFacadeOptions {
  /** Your Plaid `client_id`. Required. */
  clientId: string;
  /** Your Plaid secret for the environment. Required; never logged nor put in an error. */
  secret: string;
  /** Which Plaid environment to call. Default `'sandbox'`. */
  environment?: PlaidEnvironment;
  /** A base URL that overrides `environment` (a proxy, or a fake Plaid in tests). */
  basePath?: string;
  /** Where access tokens are kept. Default: a new `MemoryTokenStore`. */
  tokenStore?: TokenStore;
  /** Retry of transient failures, or `false` for none. Defaults: see `RetryOptions`. */
  retry?: RetryOptions | false;
  /** Client-side rate limiting, or `false` for none. Default: Plaid's documented limits. */
  rateLimit?: RateLimitOptions | false;
  /**
   * Timeout of one attempt, in milliseconds, for every call. Default: 30 000 for link token
   * and exchange, 60 000 for balances (Plaid says a balance call can take more than 30 s).
   */
  timeoutMs?: number;
  /** Receives request, response, retry, rate-limited and error events. Never sees a secret. */
  onEvent?: (event: PlaidFacadeEvent) => void;
  /** An already configured official client to send requests through. */
  plaidApi?: PlaidApi;
  /** The app name Link shows when `linkToken` is given no `clientName`. Default `'plaid-facade'`. */
  clientName?: string;
}

/** Options of one call, overriding the facade's. */
export interface CallOptions {
  /** Cancels the call, at once, with no retry after it. */
  signal?: AbortSignal;
  /** Timeout of one attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retry for this call, or `false` for none. */
  retry?: RetryOptions | false;
}

/** Input of `linkToken`. */
export interface LinkTokenInput {
  /** Your application's id for the user (sent as `user.client_user_id`). */
  userId: string;
  /** Products to initialise Link with. Default `['auth']`; `balance` needs none of its own. */
  products?: Product[];
  /** Countries whose institutions Link lists. Default `['US']`. */
  countryCodes?: CountryCode[];
  /** Language of Link. Default `'en'`. */
  language?: string;
  /** Your app's name, as Link shows it. Default: the facade's `clientName`. */
  clientName?: string;
  /** Where Plaid sends this Item's webhooks. */
  webhook?: string;
  /** OAuth redirect URI, registered in the Plaid dashboard. */
  redirectUri?: string;
  /** Update mode: the Item to repair. Its access token is read from the token store. */
  itemId?: string;
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
  accountIds?: string[];
  /** The oldest balance acceptable; some institutions (e.g. Capital One) need it. */
  minLastUpdated?: Date;
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
