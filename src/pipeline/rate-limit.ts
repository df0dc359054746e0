import type { PlaidEndpoint, PlaidFacadeEvent } from '../events.js';
import type { PlaidEnvironment } from '../types.js';
import type { RateLimitOptions } from './rate-limit-options.js';

/** What one call asks of the rate limiter. */
export interface RateLimitRequest {
  endpoint: PlaidEndpoint;
  /** The Item concerned, for per-Item limits (balances, Item removal). */
  itemId?: string | undefined;
  /** Aborts the wait: a queued call is taken out of the line and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** The facade's view of rate limiting. */
export interface RateLimiter {
  /** Runs `task` once the limits allow it. Rejects at once when the line is full. */
  schedule<T>(request: RateLimitRequest, task: () => Promise<T>): Promise<T>;
  /** Plaid answered 429 `RATE_LIMIT_EXCEEDED`: slow this endpoint (or Item) down. */
  noteRateLimited(request: RateLimitRequest): void;
  /** Stops the limiters and releases their Redis connections. */
  close(): Promise<void>;
}

/**
 * Creates the rate limiter for a facade. PLACEHOLDER: passes every call straight through until
 * the bottleneck-based limiter lands.
 */
export function createRateLimiter(
  _options: RateLimitOptions | false | undefined,
  _environment: PlaidEnvironment,
  _emit: (event: PlaidFacadeEvent) => void,
): RateLimiter {
  return {
    schedule: (_request, task) => task(),
    noteRateLimited: () => {},
    close: async () => {},
  };
}
