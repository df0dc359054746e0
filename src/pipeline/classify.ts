/**
 * Every failure of a call becomes a `PlaidFacadeError` here, and this is the one file that decides
 * what it means: whether it is `retryable`, whether an exchange's outcome is unknown, whether the
 * Item is gone at Plaid, and whether a 429 names the whole client or one Item. Plaid's code tables
 * for these questions are this file's own, in its sibling `plaid-error-codes.ts` (Plaid's limits per
 * endpoint: `options/plaid-limits.ts`).
 *
 * Plaid sends institution outages as HTTP 400, so the classification reads Plaid's `error_type`
 * and `error_code` first and the status only after.
 *
 * Is this retried? Two answers, both decided here:
 * - **The facade retries**: `retry.ts` tries a call again only when `retriedByFacade` (below) says
 *   so, within `retries` and the facade-wide retry budget: Plaid's transient answers, network
 *   failures and timeouts (classified here), never an exchange whose outcome is unknown.
 * - **You may retry**: `retryable` on an error the facade gives you that it did not try again
 *   itself: its limiter's refusals (`RATE_LIMIT_WAIT_EXCEEDED` with `retryAfterMs`,
 *   `RATE_LIMIT_REDIS_UNAVAILABLE`: the call was never sent, and an outage of the limiter's Redis
 *   spends neither a retry nor the budget), token-store failures, `EXCHANGE_IN_PROGRESS`,
 *   `WEBHOOK_KEY_UNAVAILABLE`, and every error above once the facade's retries are spent.
 * The library's own codes have their rule in one table this file owns, `errors/retryable.ts`
 * (`RETRY_RULES`): it sits at the errors layer because the error classes, the stores and the
 * limiter, below the pipeline, build their errors from it. A new code without a row there does
 * not compile.
 *
 * Retry loops outside `retry.ts`, each bounded and each deciding nothing that this file decides:
 * Capital One's one extra try of a balance read with `min_last_updated_datetime`
 * (`facade/internal/capital-one.ts`, a different request, not a repeat); the exchange's store write
 * (`facade/exchange.ts`, `STORE_WRITE_ATTEMPTS`) and the deletes that reconcile it
 * (`facade/internal/reconcile.ts`, `RECONCILE_ATTEMPTS`);
 * the wait for another caller's claim on a public token (`facade/internal/exchange-once.ts`); the webhook
 * key fetch (`facade/webhooks.ts`: `retry.ts` with one retry of its own; `webhooks/key-cache.ts`
 * waits before refreshing after a failure); the rate limiter's settles re-sent once Redis answers
 * (`rate-limit/settle-backlog.ts`) and its connection's reconnects (`rate-limit/redis-connection.ts`).
 * Two more loops wait for another process's work rather than retry a failure: a balance read
 * waiting on another's lease (`stores/redis-balance-lease.ts`) and a webhook key fetched by another
 * process (`webhooks/key-cache.ts`).
 */

import { retryRuleOf } from '../errors/retryable.js';
import {
  outcomeUnknownAdvice,
  PlaidApiError,
  type PlaidApiErrorFields,
  PlaidFacadeError,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidTimeoutError,
  plaidErrorMessage,
  redactorOf,
  SafeCause,
} from '../errors.js';
import type { PlaidEndpoint } from '../events.js';
import { plaidErrorSchema } from '../schemas/plaid-error.js';
import { safeCopy } from '../schemas/safe-copy.js';
import { bodyOf } from './parse.js';
import {
  ADVICE,
  CLIENT_WIDE_RATE_LIMIT_CODES,
  ENDPOINT_UNAVAILABLE_CODES,
  ITEM_GONE_CODES,
  LASTING_RATE_LIMIT_CODES,
  NEEDS_USER_CODES,
  NEVER_SENT_CODES,
  PAYMENT_ID_IN_USE_CODES,
  PERMANENT_ERROR_TYPES,
  TRANSIENT_ERROR_CODES,
} from './plaid-error-codes.js';

/** What classifying a failure needs to know about the call that failed. */
export interface FailureContext {
  endpoint: PlaidEndpoint;
  /**
   * The call is not idempotent at Plaid (the public-token exchange): only failures that prove
   * the request never reached Plaid may be retried; any other is reported as outcome unknown.
   */
  nonIdempotent: boolean;
  /** Values that must never appear in an error: the client secret, the access token. */
  secrets: ReadonlyArray<string | undefined>;
  /** The most bytes an answer of this endpoint may have (axios `maxContentLength`). */
  maxBodyBytes?: number | undefined;
}

/** The parts of an AxiosError we read. Everything else (config, request) is left behind. */
interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown };
}

/** axios's words when an answer passes `maxContentLength`; it keeps no other mark of it. */
function isTooLarge(error: AxiosLikeError): boolean {
  return typeof error.message === 'string' && /^maxContentLength size of \d+ exceeded$/.test(error.message);
}

/** Whether Plaid's answer (`status`, `error_type`, `error_code`) is worth retrying. */
function isTransient(status: number, errorType: string, errorCode: string): boolean {
  if (errorType === 'RATE_LIMIT_EXCEEDED') return !LASTING_RATE_LIMIT_CODES.has(errorCode);
  if (TRANSIENT_ERROR_CODES.has(errorCode)) return true;
  if (errorType === 'API_ERROR') return status >= 500;
  if (PERMANENT_ERROR_TYPES.has(errorType)) return false;
  return status >= 500 || status === 429;
}

/**
 * Turns a failure of the official client (an AxiosError, or anything a custom `PlaidApi` throws)
 * into a `PlaidFacadeError`. The result holds copies of chosen fields only: never the original
 * error, whose `config` holds the client secret and the request body with the access token.
 *
 * @param answer the body of the failed answer as the pipeline read it (`readErrorBody`: text
 *   parsed, `null` for text that is not JSON, `undefined` for a body not read whole); without it,
 *   `response.data` as the client left it. The failure itself is never changed.
 */
export function classifyFailure(
  failure: unknown,
  context: FailureContext,
  answer?: { data: unknown },
): PlaidFacadeError {
  if (failure instanceof PlaidFacadeError) return failure;
  const redact = redactorOf(context.secrets);
  const error = (failure ?? {}) as AxiosLikeError;
  const status = error.response?.status;
  const data = answer === undefined ? error.response?.data : answer.data;
  const cause = new SafeCause(failure, redact);
  const advice = context.nonIdempotent ? ` ${outcomeUnknownAdvice}` : '';
  if (isTooLarge(error)) {
    // Read no further: not Plaid's answer, and the same request would get it again. An exchange
    // it answered may still have happened.
    return new PlaidNetworkError(
      `${context.endpoint}: the answer is larger than the ${context.maxBodyBytes ?? 'allowed'} bytes allowed for this endpoint and was not read.${advice}`,
      { cause, code: 'RESPONSE_TOO_LARGE', retryable: false, outcomeUnknown: context.nonIdempotent },
    );
  }
  // axios sets `data` only once the whole body was read and decoded: a status without data is an
  // answer cut off mid-body or with a broken encoding (gzip). Not an error body: a transient
  // failure, except that the request reached the server, so an exchange may have happened.
  if (typeof status === 'number' && data === undefined && typeof error.code === 'string') {
    return new PlaidNetworkError(
      `${context.endpoint}: the answer (HTTP ${status}) was not read whole (${cause.message}).${advice}`,
      {
        cause,
        code: 'RESPONSE_INCOMPLETE',
        retryable: !context.nonIdempotent,
        outcomeUnknown: context.nonIdempotent,
      },
    );
  }
  if (typeof status === 'number') return classifyAnswer(status, data, context, redact);

  const neverSent = cause.code !== undefined && NEVER_SENT_CODES.has(cause.code);
  const outcomeUnknown = context.nonIdempotent && !neverSent;
  const detail = outcomeUnknown ? ` ${outcomeUnknownAdvice}` : '';
  return new PlaidNetworkError(`${context.endpoint}: no answer from Plaid (${cause.message})${detail}`, {
    cause,
    retryable: !outcomeUnknown,
    outcomeUnknown,
  });
}

/**
 * An attempt that ran out of time: retryable, except for an exchange, which may have been carried
 * out at Plaid (outcome unknown).
 */
export function classifyTimeout(context: FailureContext, timeoutMs: number): PlaidTimeoutError {
  return new PlaidTimeoutError(context.endpoint, timeoutMs, {
    retryable: !context.nonIdempotent,
    outcomeUnknown: context.nonIdempotent,
  });
}

/**
 * An exchange the caller aborted after its request may have left: outcome unknown (Plaid may have
 * carried it out), and not retryable (the public token is single use).
 */
export function classifyAbortedExchange(context: FailureContext, reason: unknown): PlaidNetworkError {
  return new PlaidNetworkError(
    `${context.endpoint}: the call was aborted after its request was sent. ${outcomeUnknownAdvice}`,
    {
      cause: new SafeCause(reason, redactorOf(context.secrets)),
      code: 'ABORTED',
      retryable: false,
      outcomeUnknown: true,
    },
  );
}

/**
 * A caller that joined another's identical call in flight (single flight: balances, payment
 * evaluations) and stopped waiting after `timeoutMs`: retryable, as an idempotent call's timeout
 * is. Given to the caller, not retried by the facade (the joined call goes on).
 */
export function classifyJoinTimeout(endpoint: PlaidEndpoint, timeoutMs: number): PlaidTimeoutError {
  return classifyTimeout({ endpoint, nonIdempotent: false, secrets: [] }, timeoutMs);
}

/**
 * Whether `retry.ts` tries the call again after `error`: a `retryable` failure of Plaid's (its
 * answers), the network's or the attempt's timeout (`'facade'` rows of `errors/retryable.ts`),
 * never one that is only yours to retry (the limiter's refusals, Redis unavailable, the stores).
 * Within `retries` and the retry budget, which `retry.ts` counts.
 */
export function retriedByFacade(error: unknown): error is PlaidFacadeError {
  if (!(error instanceof PlaidFacadeError) || !error.retryable) return false;
  if (error instanceof PlaidApiError) return true;
  const rule = retryRuleOf(error.code);
  return rule === undefined || rule === 'facade';
}

function classifyAnswer(
  status: number,
  body: unknown,
  context: FailureContext,
  redact: (text: string) => string,
): PlaidApiError {
  const parsed = plaidErrorSchema.safeParse(bodyOf(body));
  const fields: PlaidApiErrorFields = parsed.success
    ? {
        status,
        // Every field is redacted and bounded: a server (or a proxy) that echoes the request can
        // put the secret or a token in any of them, and `causes` in any depth.
        errorType: field(parsed.data.error_type, redact),
        errorCode: field(parsed.data.error_code, redact),
        errorMessage: field(parsed.data.error_message ?? '', redact),
        displayMessage: nullableField(parsed.data.display_message, redact),
        requestId: optionalField(parsed.data.request_id, redact),
        documentationUrl: optionalField(parsed.data.documentation_url, redact),
        suggestedAction: nullableField(parsed.data.suggested_action, redact),
        errorCodeReason: nullableField(parsed.data.error_code_reason, redact),
        causes: safeCopy(parsed.data.causes ?? [], redact) as unknown[],
      }
    : {
        // Not a Plaid error body: a proxy or load balancer answered, or the body was cut off.
        status,
        errorType: status >= 500 ? 'API_ERROR' : 'HTTP_ERROR',
        errorCode: `HTTP_${status}`,
        errorMessage: `HTTP ${status} without a Plaid error body`,
        displayMessage: null,
        requestId: undefined,
        documentationUrl: undefined,
        suggestedAction: null,
        errorCodeReason: null,
        causes: [],
      };
  const transient = isTransient(status, fields.errorType, fields.errorCode);
  const isRateLimit = fields.errorType === 'RATE_LIMIT_EXCEEDED';
  // A 429 or planned maintenance means Plaid refused the request before acting on it; any other
  // transient answer to an exchange (a 5xx) may have come after the exchange was done.
  const refused = isRateLimit || fields.errorCode === 'PLANNED_MAINTENANCE';
  const outcomeUnknown = context.nonIdempotent && transient && !refused;
  const advice = outcomeUnknown ? outcomeUnknownAdvice : ADVICE[fields.errorCode];
  const options = {
    retryable: transient && !outcomeUnknown,
    outcomeUnknown,
    ...(advice ? { message: `${plaidErrorMessage(fields, context.endpoint)}. ${advice}` } : {}),
  };
  return isRateLimit ? new PlaidRateLimitError(fields, options) : new PlaidApiError(fields, options);
}

// Plaid's codes and messages are short: a longer field is not Plaid's, and is cut.
const fieldLength = 2_000;

function field(text: string, redact: (text: string) => string): string {
  return redact(text.slice(0, fieldLength));
}

function optionalField(text: string | undefined, redact: (text: string) => string): string | undefined {
  return text === undefined ? undefined : field(text, redact);
}

function nullableField(text: string | null | undefined, redact: (text: string) => string): string | null {
  return typeof text === 'string' ? field(text, redact) : null;
}

/** Whether Plaid said the Item no longer exists there (removed earlier, or the token revoked). */
export function isItemGone(error: unknown): error is PlaidApiError {
  return error instanceof PlaidApiError && ITEM_GONE_CODES.has(error.errorCode);
}

/**
 * Whether Plaid refused the call because the endpoint is not available to this client (see
 * `ENDPOINT_UNAVAILABLE_CODES`); never a retryable failure, never an Item-gone answer.
 */
export function isEndpointUnavailable(error: unknown): error is PlaidApiError {
  return (
    error instanceof PlaidApiError &&
    !error.retryable &&
    !ITEM_GONE_CODES.has(error.errorCode) &&
    ENDPOINT_UNAVAILABLE_CODES.has(error.errorCode) &&
    (error.errorCode !== 'NOT_FOUND' || error.status === 404)
  );
}

/** Whether a failure says the Item needs its user (`ITEM_LOGIN_REQUIRED` and the like). */
export function needsUser(error: unknown): error is PlaidApiError {
  return error instanceof PlaidApiError && error.errorType === 'ITEM_ERROR' && NEEDS_USER_CODES.has(error.errorCode);
}

/**
 * Whether a 429 names the whole client's limit on an endpoint (`ACCOUNTS_BALANCE_GET_LIMIT`)
 * rather than one Item's: the first slows every call of the endpoint, the second one Item's.
 */
export function isClientWideRateLimit(error: PlaidRateLimitError): boolean {
  return CLIENT_WIDE_RATE_LIMIT_CODES.has(error.errorCode);
}

/**
 * Whether Plaid refused a `/signal/evaluate` because its `client_transaction_id` (the payment id)
 * was used before. `/signal/evaluate` is idempotent by that id, so it is retried like any call on
 * transient failures, with the same id (never `nonIdempotent`); this answer to a retry means an
 * earlier attempt may have been evaluated: `evaluatePayment` reports that as
 * `PaymentEvaluationExistsError`, not as this plain refusal.
 */
export function isPaymentIdInUse(error: unknown): error is PlaidApiError {
  return error instanceof PlaidApiError && PAYMENT_ID_IN_USE_CODES.has(error.errorCode);
}

/** Whether a failure is an `INVALID_PUBLIC_TOKEN` answer (a reused, expired or garbage public token). */
export function isInvalidPublicToken(error: unknown): error is PlaidApiError {
  return error instanceof PlaidApiError && error.errorCode === 'INVALID_PUBLIC_TOKEN';
}
