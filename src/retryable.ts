/**
 * Which failures are worth trying again. Plaid sends institution outages as HTTP 400, so the
 * classification reads Plaid's `error_type` and `error_code` first and the status only after.
 */

/** Plaid error codes that are transient: the same request may succeed later. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'INSTITUTION_NOT_AVAILABLE',
]);

/**
 * `RATE_LIMIT_EXCEEDED` codes that a retry within seconds cannot cure: a count of Items, not a rate.
 */
export const LASTING_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['ADDITION_LIMIT']);

/** Whether Plaid's answer (`status`, `error_type`, `error_code`) is worth retrying. */
export function isRetryablePlaidError(status: number, errorType: string, errorCode: string): boolean {
  if (errorType === 'RATE_LIMIT_EXCEEDED') return !LASTING_RATE_LIMIT_CODES.has(errorCode);
  if (TRANSIENT_ERROR_CODES.has(errorCode)) return true;
  if (errorType === 'API_ERROR') return status >= 500;
  // Errors Plaid types explicitly as caller or Item problems never heal by themselves.
  if (['INVALID_REQUEST', 'INVALID_INPUT', 'INVALID_RESULT', 'ITEM_ERROR'].includes(errorType)) return false;
  return status >= 500 || status === 429;
}

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
