/**
 * The codes plaid-facade raises on its own (a `PlaidApiError` carries Plaid's `error_code`
 * instead). Each is documented in docs/errors-and-retries.md: when, what to do, retryable or not.
 */
export type FacadeErrorCode =
  // bad input, found before any request
  | 'INVALID_ARGUMENT'
  // no HTTP answer, or not in time
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  // an answer that was not read whole: cut off, broken encoding, or beyond the size limit
  | 'RESPONSE_INCOMPLETE'
  | 'RESPONSE_TOO_LARGE'
  // an exchange the caller aborted after its request was sent
  | 'ABORTED'
  // a 2xx answer that is not what Plaid documents
  | 'SCHEMA_MISMATCH'
  // an error status without a Plaid error body (a proxy, a cut body), e.g. `HTTP_502`
  | `HTTP_${number}`
  // the token store
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_STORE_ERROR'
  | 'TOKEN_STORE_WRITE_FAILED'
  | 'TOKEN_STORE_TIMEOUT'
  | 'TOKEN_STORE_NOT_REPLICATED'
  | 'TOKEN_STORE_UNSUPPORTED'
  | 'TOKEN_RECORD_INVALID'
  | 'TOKEN_NOT_ENCRYPTED'
  | 'TOKEN_FORMAT_INVALID'
  | 'TOKEN_KEY_UNKNOWN'
  | 'TOKEN_DECRYPT_FAILED'
  // the client-side rate limiter
  | 'RATE_LIMIT_QUEUE_FULL'
  | 'RATE_LIMIT_WAIT_EXCEEDED'
  | 'RATE_LIMITER_CLOSED'
  | 'RATE_LIMIT_REDIS_UNAVAILABLE'
  // the facade itself
  | 'FACADE_CLOSED'
  | 'DUPLICATE_ITEM'
  // a payment evaluation whose answer was lost, and whose id Plaid now refuses as already used
  | 'PAYMENT_EVALUATION_EXISTS'
  // another caller holds the claim on the same public token
  | 'EXCHANGE_IN_PROGRESS'
  // an Item whose known health says only its user can bring it back (reported without a call)
  | 'ITEM_LOGIN_REQUIRED'
  | 'ITEM_REVOKED'
  // a failure that is none of the above (a bug: please report it)
  | 'UNEXPECTED'
  // webhooks
  | WebhookVerificationErrorCode;

/** Why a webhook was refused by `plaid.webhooks.verify`. */
export type WebhookVerificationErrorCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TOO_OLD'
  | 'WEBHOOK_BODY_MISMATCH'
  | 'WEBHOOK_KEY_EXPIRED'
  | 'WEBHOOK_KEY_UNAVAILABLE'
  | 'WEBHOOK_WRONG_ENVIRONMENT';

/** The `code` of any plaid-facade error: one of the library's own, or Plaid's `error_code`. */
// (`string & {}` keeps the known codes for autocompletion, as `OpenEnum` does for Plaid's enums.)
export type PlaidFacadeErrorCode = FacadeErrorCode | (string & {});
