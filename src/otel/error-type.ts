import type { FacadeErrorCode, WebhookVerificationErrorCode } from '../errors.js';

/** Every code of the library's own (`FacadeErrorCode` without `HTTP_<status>`), checked complete by the compiler. */
const facadeCodes = {
  INVALID_ARGUMENT: true,
  NETWORK_ERROR: true,
  TIMEOUT: true,
  RESPONSE_INCOMPLETE: true,
  RESPONSE_TOO_LARGE: true,
  ABORTED: true,
  SCHEMA_MISMATCH: true,
  TOKEN_NOT_FOUND: true,
  TOKEN_STORE_ERROR: true,
  TOKEN_STORE_NOT_REPLICATED: true,
  TOKEN_STORE_WRITE_FAILED: true,
  TOKEN_STORE_TIMEOUT: true,
  TOKEN_STORE_UNSUPPORTED: true,
  TOKEN_RECORD_INVALID: true,
  TOKEN_NOT_ENCRYPTED: true,
  TOKEN_FORMAT_INVALID: true,
  TOKEN_KEY_UNKNOWN: true,
  TOKEN_DECRYPT_FAILED: true,
  RATE_LIMIT_QUEUE_FULL: true,
  RATE_LIMIT_WAIT_EXCEEDED: true,
  RATE_LIMITER_CLOSED: true,
  RATE_LIMIT_REDIS_UNAVAILABLE: true,
  FACADE_CLOSED: true,
  DUPLICATE_ITEM: true,
  ITEM_LOGIN_REQUIRED: true,
  ITEM_REVOKED: true,
  UNEXPECTED: true,
  WEBHOOK_SIGNATURE_MISSING: true,
  WEBHOOK_SIGNATURE_INVALID: true,
  WEBHOOK_TOO_OLD: true,
  WEBHOOK_BODY_MISMATCH: true,
  WEBHOOK_KEY_EXPIRED: true,
  WEBHOOK_KEY_UNAVAILABLE: true,
  WEBHOOK_WRONG_ENVIRONMENT: true,
  PAYMENT_EVALUATION_EXISTS: true,
  EXCHANGE_IN_PROGRESS: true,
} satisfies Record<Exclude<FacadeErrorCode, `HTTP_${number}`> | WebhookVerificationErrorCode, true>;

/**
 * Plaid's documented `error_code`s that this library names (its classification tables in
 * `pipeline/classify.ts` and the fake Plaid's errors): API, institution, invalid request/input,
 * Item and rate-limit errors. Any other code reads as `other` until it is listed here.
 */
const plaidCodes: ReadonlySet<string> = new Set([
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'INSTITUTION_NOT_AVAILABLE',
  'INVALID_API_KEYS',
  'INVALID_ACCESS_TOKEN',
  'INVALID_PUBLIC_TOKEN',
  'INVALID_ACCOUNT_ID',
  'INVALID_INSTITUTION',
  'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
  'INVALID_BODY',
  'INVALID_FIELD',
  'MISSING_FIELDS',
  'UNKNOWN_FIELDS',
  'NOT_FOUND',
  'LAST_UPDATED_DATETIME_OUT_OF_RANGE',
  'ITEM_LOGIN_REQUIRED',
  'ITEM_LOCKED',
  'ITEM_NOT_FOUND',
  'USER_SETUP_REQUIRED',
  'PRODUCTS_NOT_SUPPORTED',
  'ACCOUNTS_LIMIT',
  'ACCOUNTS_BALANCE_GET_LIMIT',
  'ADDITION_LIMIT',
  'BALANCE_LIMIT',
  'ITEM_GET_LIMIT',
  'RATE_LIMIT',
]);

/** `HTTP_<status>`: at most the 500 statuses from 100 to 599, so still a bounded set. */
const httpCode = /^HTTP_[1-5]\d\d$/;

/**
 * The `error.type` of a metric or span: the library's own code, one of Plaid's documented codes, an
 * `HTTP_<status>`, else `'other'`. A server's `error_code` goes into telemetry only when it is
 * known: an echoing or hostile server cannot make one series per request.
 */
export function errorTypeOf(code: string | undefined): string {
  if (code === undefined) return 'other';
  if (Object.hasOwn(facadeCodes, code) || plaidCodes.has(code) || httpCode.test(code)) return code;
  return 'other';
}
