/**
 * Public types of the fake Plaid. Everything on the wire is snake_case, exactly as Plaid sends it,
 * so seeds and balances are written in Plaid's own shape too. The types of `/signal/evaluate`'s
 * outcomes and evaluations live in signal-types.ts (re-exported here).
 */

import type { PlaidEndpoint } from '../../events.js';

export type {
  FakeReturnRisk,
  FakeSignalDuplicateMode,
  FakeSignalEvaluation,
  FakeSignalOutcome,
} from './signal-types.js';

/** The Plaid paths the fake answers: every path the facade calls, and Sandbox's own. */
export type FakePlaidEndpoint =
  | PlaidEndpoint
  | '/sandbox/public_token/create'
  | '/sandbox/item/fire_webhook'
  | '/sandbox/item/reset_login';

/** Plaid's `AccountBalance`, on the wire. */
export interface WireBalance {
  /** What can be spent now. */
  available: number | null;
  /** The total balance. */
  current: number | null;
  /** Credit or overdraft limit. */
  limit: number | null;
  /** ISO 4217 code; null when `unofficial_currency_code` is set. */
  iso_currency_code: string | null;
  /** Plaid's code for a currency without an ISO code. */
  unofficial_currency_code: string | null;
  /** ISO 8601 time the balance was last updated, or null. */
  last_updated_datetime: string | null;
}

/** Plaid's `AccountBase`, on the wire (the members the fake sends). */
export interface WireAccount {
  /** Plaid's account id. */
  account_id: string;
  /** The account's balance. */
  balances: WireBalance;
  /** Last characters of the account number. */
  mask: string | null;
  /** The account's name. */
  name: string;
  /** The institution's formal name for it. */
  official_name: string | null;
  /** Plaid's account type, e.g. `depository`. */
  type: string;
  /** Plaid's account subtype, e.g. `checking`. */
  subtype: string | null;
}

/** Plaid's error body (`PlaidError`), on the wire. */
export interface FakeErrorBody {
  /** Broad category, e.g. `ITEM_ERROR`. */
  error_type: string;
  /** Specific code, e.g. `ITEM_LOGIN_REQUIRED`. */
  error_code: string;
  /** Finer reason for some codes, or null. */
  error_code_reason: string | null;
  /** Message for developers. */
  error_message: string;
  /** Message fit for the end user, or null. */
  display_message: string | null;
  /** The request's id. */
  request_id: string;
  /** Underlying causes (used by some products). */
  causes: unknown[];
  /** The HTTP status. */
  status: number;
  /** Plaid's page about this error. */
  documentation_url: string;
  /** What to do, or null. */
  suggested_action: string | null;
}

/**
 * One account to seed an Item with. Unset members get sandbox-like values; `balances` members left
 * out keep their defaults (USD, no limit). `last_updated_datetime` left unset means "refreshed on
 * every read" (a real-time balance), as for most institutions.
 */
export interface FakeAccountSeed {
  /** Default: a generated id. */
  account_id?: string;
  /** The account's name. */
  name: string;
  /** The institution's formal name for it. Default: null. */
  official_name?: string | null;
  /** Last characters of the account number. Default: null. */
  mask?: string | null;
  /** Plaid's account type, e.g. `depository` or `credit`. */
  type: string;
  /** Plaid's account subtype, e.g. `checking`. Default: null. */
  subtype?: string | null;
  /** The balance; members left out keep their defaults. */
  balances?: Partial<WireBalance>;
}

/** An institution the fake knows. */
export interface FakeInstitution {
  /** Plaid's institution id, e.g. `'ins_109508'`. */
  id: string;
  /** The institution's name. */
  name: string;
  /**
   * When true, non-depository accounts (credit cards, loans...) are not refreshed from the bank, as
   * at Capital One: `/accounts/balance/get` reading one needs `options.min_last_updated_datetime`
   * (else `INVALID_REQUEST` / `INVALID_FIELD`) and answers `LAST_UPDATED_DATETIME_OUT_OF_RANGE`
   * when the balance is older than it. Depository accounts are read live.
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
  | (Partial<FakeErrorBody> & {
      /** The error code; the other members of the body default to Plaid-like values. */
      error_code: string;
    })
  | {
      /** Delay before the normal answer, in milliseconds. */
      latencyMs: number;
    }
  | {
      /** The HTTP status to answer. */
      status: number;
      /** The body to answer: a string is sent as is, anything else as JSON. */
      body: unknown;
    }
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
  /** The Plaid path called. */
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
  /** Plaid's Item id. */
  itemId: string;
  /** The Item's access token, as the fake issued it. */
  accessToken: string;
  /** The institution the Item belongs to. */
  institutionId: string;
  /** True once `/item/remove` was called for it. */
  removed: boolean;
  /** Products the Item is billed for. */
  products: string[];
  /** The Item's webhook URL, or null. */
  webhook: string | null;
  /** The Item's accounts and their current balances. */
  accounts: WireAccount[];
}
