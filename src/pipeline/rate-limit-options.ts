/** At most `limit` calls started in any window of `intervalMs`. */
export interface LimitSpec {
  limit: number;
  intervalMs: number;
}

/**
 * The subset of an ioredis client that rate limiting needs. Pass an ioredis `Redis` instance;
 * bottleneck duplicates it for its subscriber connection.
 */
export interface RedisLike {
  duplicate(...args: never[]): unknown;
  options?: unknown;
}

/** Client-side rate limiting. Defaults follow Plaid's documented limits for the environment. */
export interface RateLimitOptions {
  /** Limits for the whole client, by Plaid path, e.g. `'/accounts/balance/get'`. Merged over the defaults. */
  endpoints?: Record<string, LimitSpec>;
  /** Limits per Item (per access token), by Plaid path. Merged over the defaults. */
  perItem?: Record<string, LimitSpec>;
  /** Calls that may wait in line per limiter; beyond it a call fails at once. Default 1000. */
  maxQueued?: number;
  /** Share the limits between processes through Redis (ioredis). */
  redis?: { client: RedisLike; prefix?: string };
}
