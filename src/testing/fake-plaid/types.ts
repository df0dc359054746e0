/**
 * Public types of the fake Plaid. Everything on the wire is snake_case, exactly as Plaid sends it,
 * so seeds and balances are written in Plaid's own shape too.
 */

/** The Plaid paths the fake answers. */
export type FakePlaidEndpoint =
  | '/link/token/create'
  | '/item/public_token/exchange'
  | '/accounts/balance/get'
  | '/item/remove'
  | '/sandbox/public_token/create';

/** Plaid's `AccountBalance`, on the wire. */
export interface WireBalance {
  available: number | null;
  current: number | null;
  limit: number | null;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  last_updated_datetime: string | null;
}

/** Plaid's `AccountBase`, on the wire (the members the fake sends). */
export interface WireAccount {
  account_id: string;
  balances: WireBalance;
  mask: string | null;
  name: string;
  official_name: string | null;
  type: string;
  subtype: string | null;
}

/** Plaid's error body (`PlaidError`), on the wire. */
export interface PlaidErrorBody {
  error_type: string;
  error_code: string;
  error_code_reason: string | null;
  error_message: string;
  display_message: string | null;
  request_id: string;
  causes: unknown[];
  status: number;
  documentation_url: string;
  suggested_action: string | null;
}

/**
 * One account to seed an Item with. Unset members get sandbox-like values; `balances` members left
 * out keep their defaults (USD, no limit). `last_updated_datetime` left unset means "refreshed on
 * every read" (a real-time balance), as for most institutions.
 */
export interface FakeAccountSeed {
  account_id?: string;
  name: string;
  official_name?: string | null;
  mask?: string | null;
  type: string;
  subtype?: string | null;
  balances?: Partial<WireBalance>;
}

/** An institution the fake knows. */
export interface FakeInstitution {
  /** Plaid's institution id, e.g. `'ins_109508'`. */
  id: string;
  name: string;
  /**
   * When true, balance reads are not refreshed from the bank: `/accounts/balance/get` without
   * `options.min_last_updated_datetime` answers `LAST_UPDATED_DATETIME_OUT_OF_RANGE`, as Plaid does
   * for institutions like Capital One.
   */
  requiresMinLastUpdated?: boolean;
}

/** Options of `createFakePlaid`. */
export interface FakePlaidOptions {
  /** When set, only this client id is accepted; otherwise any non-empty one is. */
  clientId?: string;
  /** When set, only this secret is accepted; otherwise any non-empty one is. */
  secret?: string;
  /** Delay before every answer, in milliseconds. Default 0. */
  latencyMs?: number;
  /** The fake's clock (token expiry, rate-limit windows, timestamps). Default: `() => new Date()`. */
  now?: () => Date;
  /** Institutions in addition to the built-in sandbox ones (same id replaces a built-in one). */
  institutions?: FakeInstitution[];
  /** Accounts every new Item gets unless `createPublicToken` says otherwise. */
  defaultAccounts?: FakeAccountSeed[];
}

/** Options of `fake.createPublicToken`: what the user picked in "Link". */
export interface CreatePublicTokenOptions {
  /** Default `'ins_109508'` (First Platypus Bank, as in Plaid's sandbox). */
  institutionId?: string;
  /** The Item's accounts. Default: the fake's default accounts. */
  accounts?: FakeAccountSeed[];
  /** Products the Item is billed for. Default `['auth']`. */
  products?: string[];
  /** The Item's webhook URL. Default `null`. */
  webhook?: string | null;
}

/**
 * A fault to inject with `failNext`:
 * - a Plaid error code known to the fake (`'INTERNAL_SERVER_ERROR'`, `'INSTITUTION_DOWN'`,
 *   `'RATE_LIMIT_EXCEEDED'`, `'ITEM_LOGIN_REQUIRED'`, `'PLANNED_MAINTENANCE'`, ...): answered with
 *   Plaid's error type and HTTP status for it;
 * - a partial error body (`{ error_type, error_code, ... }`), completed with Plaid-like defaults;
 * - `'network'`: the connection is dropped and the request is not carried out;
 * - `'processed-then-dropped'`: the request is carried out (a public token is used up, an Item
 *   removed) and then the connection is dropped, so the caller cannot know the outcome;
 * - `'non-json'`: HTTP 200 with an HTML body;
 * - `'bad-schema'`: HTTP 200 with a JSON body that breaks Plaid's schema (the request is carried out);
 * - `{ latencyMs }`: the answer is delayed, then given normally;
 * - `{ status, body }`: exactly this answer (a string is sent as is, anything else as JSON).
 */
export type FakeFault =
  | 'network'
  | 'processed-then-dropped'
  | 'non-json'
  | 'bad-schema'
  | (Partial<PlaidErrorBody> & { error_code: string })
  | { latencyMs: number }
  | { status: number; body: unknown }
  | (string & {});

/** Options of `failNext`. */
export interface FailNextOptions {
  /** How many calls in a row get the fault. Default 1. */
  times?: number;
}

/** A simulated Plaid rate limit for one endpoint. */
export interface FakeRateLimit {
  /** Calls allowed per window. */
  limit: number;
  /** The window, in milliseconds (a fixed window on the fake's clock). */
  intervalMs: number;
  /** Count per Item (per access token) rather than per client. */
  perItem?: boolean;
}

/** One request the fake received. Never holds the secret. */
export interface FakeCall {
  endpoint: string;
  /** The JSON body as sent, without `secret`; `undefined` when it was not JSON. */
  body: Record<string, unknown> | undefined;
  /** The client id, from the headers or the body. */
  clientId: string | undefined;
  /** The `Plaid-Version` header, if any. */
  plaidVersion: string | undefined;
  /** HTTP status answered, or `undefined` when the connection was dropped. */
  status: number | undefined;
  /** The `error_code` answered, if the answer was a Plaid error. */
  errorCode: string | undefined;
  /** The `request_id` answered, if any. */
  requestId: string | undefined;
  /** When the fake received the request (its own clock). */
  at: Date;
}

/** An Item as the fake keeps it, for assertions. */
export interface FakeItem {
  itemId: string;
  accessToken: string;
  institutionId: string;
  /** True once `/item/remove` was called for it. */
  removed: boolean;
  products: string[];
  webhook: string | null;
  accounts: WireAccount[];
}
