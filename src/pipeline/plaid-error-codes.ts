/**
 * Plaid's code tables that `classify.ts` reads to answer its questions (is it transient, is the
 * Item gone, does a 429 name the whole client, …). Only `classify.ts` imports this file: the
 * decisions stay there, the lists of Plaid's codes (from plaid.com/docs/errors) live here.
 */
/** Plaid error codes that are transient: the same request may succeed later. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'INSTITUTION_NOT_AVAILABLE',
]);

/** `RATE_LIMIT_EXCEEDED` codes that a retry within seconds cannot cure: a count of Items, not a rate. */
export const LASTING_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['ADDITION_LIMIT']);

/**
 * Error types Plaid gives to caller or Item problems, which never heal by themselves. Every
 * `SIGNAL_ERROR` (plaid.com/docs/errors/signal) is an account or ruleset setting, or a reused
 * `client_transaction_id`: none heals by retrying.
 */
export const PERMANENT_ERROR_TYPES: ReadonlySet<string> = new Set([
  'INVALID_REQUEST',
  'INVALID_INPUT',
  'INVALID_RESULT',
  'ITEM_ERROR',
  'SIGNAL_ERROR',
]);

/**
 * `/signal/evaluate`'s answer to a `client_transaction_id` already used. The official client's
 * description says a repeated id "will return the results of the previous evaluation"; Plaid's
 * error pages list this code ("has already been used in a different transaction"). Both can
 * happen: see `isPaymentIdInUse`.
 */
export const PAYMENT_ID_IN_USE_CODES: ReadonlySet<string> = new Set(['CLIENT_TRANSACTION_ID_ALREADY_IN_USE']);

/**
 * The `SIGNAL_ERROR` codes Plaid documents (plaid.com/docs/errors/signal, checked 2026-12), none
 * retried. docs/payments.md says what to do for each (a test holds it to this list).
 */
export const SIGNAL_ERROR_CODES: readonly string[] = Object.freeze([
  'ADDENDUM_NOT_SIGNED',
  'CLIENT_TRANSACTION_ID_ALREADY_IN_USE',
  'INVALID_CONFIGURATION_STATE',
  'NOT_ENABLED_FOR_SIGNAL_TRANSACTION_SCORE_RULESETS',
  'RULESET_NOT_FOUND',
  'SIGNAL_TRANSACTION_NOT_INITIATED',
]);

/**
 * Node's socket error codes that prove a request never left this machine or never reached a
 * server, so even a non-idempotent call (the public-token exchange) can be sent again.
 */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** Plaid's answers meaning the Item no longer exists there. */
export const ITEM_GONE_CODES: ReadonlySet<string> = new Set(['INVALID_ACCESS_TOKEN', 'ITEM_NOT_FOUND']);

/** What to do, added to the message of an error whose usual cause is a setting on our side. */
export const ADVICE: Readonly<Record<string, string>> = {
  INVALID_API_KEYS:
    'Plaid gives each environment its own secret: check that the secret (PLAID_SECRET) is the one of the environment ' +
    "this facade calls (environment / PLAID_ENV: 'sandbox' or 'production'; Development is retired), " +
    'and the client id (PLAID_CLIENT_ID) is yours (Plaid Dashboard, Developers → Keys)',
};

/**
 * Answers that say an endpoint is not available to this client (not that the request or the Item
 * is wrong): `removeItem` then falls back from `/item/products/terminate` to `/item/remove`.
 * Listed in docs/item-health.md; a transient failure or an Item-gone answer is never one of them.
 */
export const ENDPOINT_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'INVALID_PRODUCT', // the client id has no access to this product
  'UNAUTHORIZED_ROUTE_ACCESS', // the client id has no access to this route
  'ADDENDUM_NOT_SIGNED', // the product's addendum is not signed
  'NOT_FOUND', // HTTP 404: no such endpoint (an older gateway or proxy)
]);

/**
 * `ITEM_ERROR` codes after which the Item needs its user in Link's update mode (plaid.com/docs/errors/item):
 * the Item's health turns `login_required` (`ITEM_LOGIN_REQUIRED`) or `error` (the others) until
 * a later call for it succeeds.
 */
export const NEEDS_USER_CODES: ReadonlySet<string> = new Set([
  'ITEM_LOGIN_REQUIRED',
  'ITEM_LOCKED',
  'USER_SETUP_REQUIRED',
]);

/** `RATE_LIMIT_EXCEEDED` codes that name a client-wide limit rather than an Item's. */
export const CLIENT_WIDE_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['ACCOUNTS_BALANCE_GET_LIMIT']);
