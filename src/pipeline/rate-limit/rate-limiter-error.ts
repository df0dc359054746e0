import { PlaidFacadeError } from '../../errors.js';

/*
 * Until the error vocabulary of the redesign (issue #10) lands in src/errors.ts, the limiter's own
 * error lives here; it moves there, with the same name and codes.
 */

/** The codes of the limiter's own failures. */
export type RateLimiterErrorCode = 'RATE_LIMIT_QUEUE_FULL' | 'RATE_LIMITER_CLOSED' | 'RATE_LIMIT_REDIS_UNAVAILABLE';

/**
 * Thrown by the client-side rate limiter itself, never by Plaid: too many calls already waiting
 * (`RATE_LIMIT_QUEUE_FULL`), the facade closed (`RATE_LIMITER_CLOSED`), or Redis not answering
 * in time when limits are shared (`RATE_LIMIT_REDIS_UNAVAILABLE`, retryable). In every case the
 * call was not sent to Plaid.
 */
export class RateLimiterError extends PlaidFacadeError {
  declare readonly code: RateLimiterErrorCode;

  constructor(message: string, code: RateLimiterErrorCode) {
    super(message, { code, retryable: code === 'RATE_LIMIT_REDIS_UNAVAILABLE' });
  }
}

/** The refusal of a call that must wait when `maxQueued` calls already wait for `label`. */
export function queueFullError(label: string, maxQueued: number): RateLimiterError {
  const message =
    maxQueued === 0
      ? `No room in ${label} and rateLimit.maxQueued is 0 (never wait): the call was not sent.`
      : `Too many calls waiting for ${label}: ${maxQueued} already in line (rateLimit.maxQueued). ` +
        'The call was not sent; slow down or raise maxQueued.';
  return new RateLimiterError(message, 'RATE_LIMIT_QUEUE_FULL');
}
