import { randomRequestId } from './ids.js';
import type { FakeErrorBody } from './types.js';

/** What the fake knows about one of Plaid's error codes. */
interface KnownError {
  type: string;
  status: number;
  message: string;
  display: string | null;
}

const rateLimitMessage = 'rate limit exceeded for attempts to access this item. please try again later';
const institutionMessage = 'this institution is not currently responding to this request. please try again soon';
const institutionDisplay =
  'This financial institution is not currently responding to requests. We apologize for the inconvenience.';

/**
 * Error codes the fake can answer with, with the type, HTTP status and messages Plaid documents
 * for them (plaid.com/docs/errors). Institution errors are HTTP 400 although they are transient.
 */
const known: Record<string, KnownError> = {
  INTERNAL_SERVER_ERROR: { type: 'API_ERROR', status: 500, message: 'an unexpected error occurred', display: null },
  PLANNED_MAINTENANCE: {
    type: 'API_ERROR',
    status: 503,
    message:
      'the Plaid API is temporarily unavailable due to planned maintenance. visit https://status.plaid.com/ for more information',
    display: null,
  },
  INSTITUTION_DOWN: {
    type: 'INSTITUTION_ERROR',
    status: 400,
    message: institutionMessage,
    display: institutionDisplay,
  },
  INSTITUTION_NOT_RESPONDING: {
    type: 'INSTITUTION_ERROR',
    status: 400,
    message: institutionMessage,
    display: institutionDisplay,
  },
  INSTITUTION_NOT_AVAILABLE: {
    type: 'INSTITUTION_ERROR',
    status: 400,
    message: institutionMessage,
    display: institutionDisplay,
  },
  ITEM_LOGIN_REQUIRED: {
    type: 'ITEM_ERROR',
    status: 400,
    message:
      "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
    display: 'The login details of this account have changed. Please log in again.',
  },
  PRODUCTS_NOT_SUPPORTED: {
    type: 'ITEM_ERROR',
    status: 400,
    message: 'the requested product is not supported by this institution',
    display: null,
  },
  INVALID_API_KEYS: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'invalid client_id or secret provided',
    display: null,
  },
  INVALID_ACCESS_TOKEN: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'could not find matching access token',
    display: null,
  },
  INVALID_PUBLIC_TOKEN: {
    type: 'INVALID_INPUT',
    status: 400,
    message:
      'provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged',
    display: null,
  },
  INVALID_LINK_TOKEN: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'provided link token is in an invalid format or has expired',
    display: null,
  },
  // Plaid's answer to a key_id it does not know (the fake's wording).
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'invalid key_id provided',
    display: null,
  },
  INVALID_ACCOUNT_ID: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'one or more of the account IDs is invalid',
    display: null,
  },
  INVALID_INSTITUTION: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'invalid institution_id provided',
    display: null,
  },
  // The client may not call a product or route (removeItem then falls back to /item/remove).
  INVALID_PRODUCT: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'client is not authorized to access the following products',
    display: null,
  },
  UNAUTHORIZED_ROUTE_ACCESS: {
    type: 'INVALID_INPUT',
    status: 400,
    message: 'you do not currently have access to this route',
    display: null,
  },
  MISSING_FIELDS: {
    type: 'INVALID_REQUEST',
    status: 400,
    message: 'the following required fields are missing',
    display: null,
  },
  UNKNOWN_FIELDS: {
    type: 'INVALID_REQUEST',
    status: 400,
    message: 'the following fields are not recognized by this endpoint',
    display: null,
  },
  INVALID_FIELD: { type: 'INVALID_REQUEST', status: 400, message: 'a field in the request is invalid', display: null },
  INVALID_BODY: { type: 'INVALID_REQUEST', status: 400, message: 'body could not be parsed as JSON', display: null },
  NOT_FOUND: { type: 'INVALID_REQUEST', status: 404, message: 'not found', display: null },
  LAST_UPDATED_DATETIME_OUT_OF_RANGE: {
    type: 'INVALID_RESULT',
    status: 400,
    message: 'requested datetime out of range, most recently updated balance is older than min_last_updated_datetime',
    display: null,
  },
  RATE_LIMIT: { type: 'RATE_LIMIT_EXCEEDED', status: 429, message: rateLimitMessage, display: null },
  ACCOUNTS_BALANCE_GET_LIMIT: { type: 'RATE_LIMIT_EXCEEDED', status: 429, message: rateLimitMessage, display: null },
  BALANCE_LIMIT: { type: 'RATE_LIMIT_EXCEEDED', status: 429, message: rateLimitMessage, display: null },
  ITEM_GET_LIMIT: { type: 'RATE_LIMIT_EXCEEDED', status: 429, message: rateLimitMessage, display: null },
  ACCOUNTS_LIMIT: { type: 'RATE_LIMIT_EXCEEDED', status: 429, message: rateLimitMessage, display: null },
  // Signal errors (plaid.com/docs/errors/signal), with Plaid's statuses and wording.
  ADDENDUM_NOT_SIGNED: {
    type: 'SIGNAL_ERROR',
    status: 403,
    message: 'The Signal Addendum has not been signed',
    display: null,
  },
  CLIENT_TRANSACTION_ID_ALREADY_IN_USE: {
    type: 'SIGNAL_ERROR',
    status: 400,
    message: 'Client transaction id has already been used in a different transaction',
    display: null,
  },
  INVALID_CONFIGURATION_STATE: {
    type: 'SIGNAL_ERROR',
    status: 400,
    message:
      'Client configuration state is missing default ruleset imputation, contact your Account Manager for assistance.',
    display: null,
  },
  NOT_ENABLED_FOR_SIGNAL_TRANSACTION_SCORE_RULESETS: {
    type: 'SIGNAL_ERROR',
    status: 403,
    message: 'Your account is not enabled for Signal Transaction Score rulesets.',
    display: null,
  },
  RULESET_NOT_FOUND: { type: 'SIGNAL_ERROR', status: 400, message: "Missing 'default' ruleset.", display: null },
  SIGNAL_TRANSACTION_NOT_INITIATED: {
    type: 'SIGNAL_ERROR',
    status: 400,
    message: 'Transactions previously reported as not initiated cannot be reported as returned',
    display: null,
  },
};

/** Plaid's documentation pages, by error type. */
const docPages: Record<string, string> = {
  API_ERROR: 'api',
  INSTITUTION_ERROR: 'institution',
  ITEM_ERROR: 'item',
  INVALID_INPUT: 'invalid-input',
  INVALID_REQUEST: 'invalid-request',
  INVALID_RESULT: 'invalid-result',
  RATE_LIMIT_EXCEEDED: 'rate-limit-exceeded',
  SIGNAL_ERROR: 'signal',
};

/** Every error code the fake knows (for "did you mean" on a typo). */
export function knownErrorCodes(): string[] {
  return [...Object.keys(known), 'RATE_LIMIT_EXCEEDED'];
}

/** True when the fake knows this error code (or `'RATE_LIMIT_EXCEEDED'`, which picks one per endpoint). */
export function isKnownErrorCode(code: string): boolean {
  return code in known || code === 'RATE_LIMIT_EXCEEDED';
}

/**
 * The rate-limit code Plaid uses for an endpoint: per-client and per-Item limits of the balance
 * call have their own codes; other endpoints use the generic `RATE_LIMIT`.
 */
export function rateLimitCode(endpoint: string, perItem: boolean): string {
  if (endpoint === '/accounts/balance/get') return perItem ? 'BALANCE_LIMIT' : 'ACCOUNTS_BALANCE_GET_LIMIT';
  if (endpoint === '/accounts/get') return 'ACCOUNTS_LIMIT';
  return 'RATE_LIMIT';
}

/**
 * A complete Plaid error body. `code` must be known to the fake unless `overrides` gives the
 * `error_type` and `status`; `detail` is appended to the message (e.g. the missing field names).
 */
export function errorBody(code: string, overrides: Partial<FakeErrorBody> = {}, detail?: string): FakeErrorBody {
  const entry = known[code];
  const type = overrides.error_type ?? entry?.type ?? 'API_ERROR';
  const message = entry ? (detail ? `${entry.message}: ${detail}` : entry.message) : (detail ?? '');
  return {
    error_type: type,
    error_code: code,
    error_code_reason: null,
    error_message: message,
    display_message: entry?.display ?? null,
    request_id: randomRequestId(),
    causes: [],
    status: overrides.status ?? entry?.status ?? 500,
    documentation_url: `https://plaid.com/docs/errors/${docPages[type] ?? ''}${docPages[type] ? '/' : ''}#${code.toLowerCase()}`,
    suggested_action: null,
    ...overrides,
  };
}

/** Thrown inside handlers to answer with a Plaid error body. */
export class FakePlaidErrorAnswer extends Error {
  /** The body to send; its `status` is the HTTP status. */
  readonly body: FakeErrorBody;

  constructor(body: FakeErrorBody) {
    super(`${body.error_type} ${body.error_code}`);
    this.body = body;
  }
}

/** Shorthand: an answer with a known Plaid error. */
export function plaidError(code: string, detail?: string): FakePlaidErrorAnswer {
  return new FakePlaidErrorAnswer(errorBody(code, {}, detail));
}
