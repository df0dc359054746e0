/**
 * Which of the library's own codes are `retryable`, and who tries them again: the table that
 * `src/pipeline/classify.ts` owns (classify.ts is the one answer to "is this retried?"; read its
 * header first). It lives here, at the errors layer, because the errors, the token stores and the
 * rate limiter build their errors from it, and those layers may not import `pipeline/`. Plaid's
 * own codes (`PlaidApiError`) are not here: classify.ts decides them from Plaid's answer.
 *
 * - `'facade'`: `pipeline/retry.ts` tries the call again itself, within `retries` and the retry
 *   budget, and only when classify.ts set `retryable` for this failure (not for an exchange whose
 *   outcome is unknown). A caller sees it once the retries are spent.
 * - `'you'`: `retryable` is true but the facade does not try again itself: the failure is given to
 *   you, and the same call may succeed if you make it again (after `retryAfterMs`, once the store or
 *   Redis answers, once the other exchange finished, or Plaid's delivery of a webhook again).
 * - `'cause'`: decided by what failed (see `tokenStoreRetryable`).
 * - `'no'`: the same call would fail the same way.
 *
 * The retry loops outside `retry.ts` (Capital One's extra try, the exchange's store write, the
 * webhook key fetch, the limiter's settles) are named in classify.ts's header.
 */
import type { FacadeErrorCode } from './codes.js';

/** Who tries a failure again: see this file's header. */
export type RetryRule = 'facade' | 'you' | 'cause' | 'no';

/** The library's own codes, except `HTTP_<status>` (a Plaid answer without a Plaid body: classify.ts). */
export type FixedFacadeErrorCode = Exclude<FacadeErrorCode, `HTTP_${number}`>;

/** Every code of the library and its rule; a new code without a row does not compile. */
export const RETRY_RULES: Readonly<Record<FixedFacadeErrorCode, RetryRule>> = Object.freeze({
  INVALID_ARGUMENT: 'no',
  // classifyFailure / classifyTimeout: not for an exchange that may have reached Plaid
  NETWORK_ERROR: 'facade',
  TIMEOUT: 'facade',
  RESPONSE_INCOMPLETE: 'facade',
  RESPONSE_TOO_LARGE: 'no',
  ABORTED: 'no',
  SCHEMA_MISMATCH: 'no',
  TOKEN_NOT_FOUND: 'no',
  TOKEN_STORE_ERROR: 'cause',
  TOKEN_STORE_WRITE_FAILED: 'no', // the public token is used up: link again
  TOKEN_STORE_TIMEOUT: 'you',
  TOKEN_STORE_NOT_REPLICATED: 'you',
  TOKEN_STORE_UNSUPPORTED: 'no',
  TOKEN_RECORD_INVALID: 'no',
  TOKEN_NOT_ENCRYPTED: 'no',
  TOKEN_FORMAT_INVALID: 'no',
  TOKEN_KEY_UNKNOWN: 'no',
  TOKEN_DECRYPT_FAILED: 'no',
  RATE_LIMIT_QUEUE_FULL: 'no',
  // the caller asked not to wait that long: after `retryAfterMs`, by the caller
  RATE_LIMIT_WAIT_EXCEEDED: 'you',
  RATE_LIMITER_CLOSED: 'no',
  // the call was never sent; the limiter already waited `rateLimit.redis.timeoutMs` for Redis, and
  // a retry would spend the retry budget shared with Plaid's failures on an outage of our own
  RATE_LIMIT_REDIS_UNAVAILABLE: 'you',
  FACADE_CLOSED: 'no',
  DUPLICATE_ITEM: 'no',
  PAYMENT_EVALUATION_EXISTS: 'no', // the same id can only be refused again
  EXCHANGE_IN_PROGRESS: 'you',
  ITEM_LOGIN_REQUIRED: 'no',
  ITEM_REVOKED: 'no',
  UNEXPECTED: 'no',
  WEBHOOK_SIGNATURE_MISSING: 'no',
  WEBHOOK_SIGNATURE_INVALID: 'no',
  WEBHOOK_TOO_OLD: 'no',
  WEBHOOK_BODY_MISMATCH: 'no',
  WEBHOOK_KEY_EXPIRED: 'no',
  WEBHOOK_WRONG_ENVIRONMENT: 'no',
  // answer 5xx: Plaid delivers the webhook again
  WEBHOOK_KEY_UNAVAILABLE: 'you',
});

/** The rule of `code`, or `undefined` for a code not of the library's own (Plaid's). */
export function retryRuleOf(code: string): RetryRule | undefined {
  return Object.hasOwn(RETRY_RULES, code) ? RETRY_RULES[code as FixedFacadeErrorCode] : undefined;
}

/**
 * The `retryable` of an error built without one: true for `'facade'` and `'you'` codes, false for
 * the others (a `'cause'` code is retryable only when its maker says so: `tokenStoreRetryable`).
 */
export function retryableByDefault(code: string): boolean {
  const rule = retryRuleOf(code);
  return rule === 'facade' || rule === 'you';
}

/**
 * The `retryable` of a `TokenStoreError` built without one. `TOKEN_STORE_ERROR` (`'cause'`) is
 * retryable when the store's driver failed transiently (`storeCall` asks `isTransientStoreFailure`),
 * when it wraps a store error that is (`inner`), or when Plaid already removed the Item and only the
 * record's delete failed (`itemRemoved`: `removeItem` again finds the Item gone and finishes).
 */
export function tokenStoreRetryable(code: string, from: { inner?: boolean; itemRemoved?: boolean }): boolean {
  if (retryRuleOf(code) !== 'cause') return retryableByDefault(code);
  return from.itemRemoved === true || from.inner === true;
}

// Socket errors of a connection that could not be made or was lost (node:net, pg, ioredis).
const STORE_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs after which the same statement may succeed: server shutting down or starting
// (57P01-57P03), too many connections (53300), serialization failure and deadlock (40001, 40P01).
// Class 08 (connection exceptions) is matched by its prefix.
const POSTGRES_TRANSIENT_CODES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

// Failures that carry no code: pg-pool's checkout timeout, a connection the server closed, and
// ioredis giving up on a command while Redis is unreachable.
const STORE_TRANSIENT_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Connection is closed/i;

/**
 * True when `error`, thrown by a store's client, describes a failure that may pass on its own: the
 * connection failed or dropped, or the server was busy, starting or shutting down. A missing table,
 * a constraint or a bad record is not.
 */
export function isTransientStoreFailure(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (STORE_SOCKET_CODES.has(code) || POSTGRES_TRANSIENT_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return true;
    }
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && STORE_TRANSIENT_MESSAGES.test(message);
}
