/** At most `limit` calls started in any window of `intervalMs` (a sliding window, not a fixed one). */
export interface LimitSpec {
  /** How many calls may start in any window of `intervalMs`. A positive integer. */
  limit: number;
  /** The window, in milliseconds. Positive. */
  intervalMs: number;
}

/**
 * The subset of an ioredis client that rate limiting needs. Pass an ioredis `Redis` instance:
 * bottleneck's clustering runs its Lua scripts through ioredis' `defineCommand`, and the limiter
 * works on duplicates of this client (see `RateLimitOptions.redis`), never on the client itself.
 */
export interface RedisLike {
  /** Opens a new connection with the same options (ioredis' `duplicate`). */
  duplicate(override?: { lazyConnect?: boolean }): unknown;
  /** Defines a Lua script as a command (ioredis' `defineCommand`), as bottleneck's clustering needs. */
  defineCommand(...args: never[]): unknown;
  /** The client's connection options, as ioredis keeps them. */
  options?: unknown;
}

/**
 * Where limits are shared between processes.
 * @inline
 */
export interface RateLimitRedisOptions {
  /**
   * An ioredis client. The limiter opens two connections of its own with `client.duplicate()`
   * and closes them in `close()`; your client is never used for commands nor closed.
   */
  client: RedisLike;
  /** Prefix of the Redis keys and channels. Default `'plaid-facade'`. */
  prefix?: string;
  /**
   * How long a call waits for the Redis connection to become ready before it fails with
   * `RATE_LIMIT_REDIS_UNAVAILABLE`. Default 5000.
   */
  readyTimeoutMs?: number;
}

/** Client-side rate limiting. Defaults follow Plaid's documented limits for the environment. */
export interface RateLimitOptions {
  /** Limits for the whole client, by Plaid path, e.g. `'/accounts/balance/get'`. Merged over the defaults. */
  endpoints?: Record<string, LimitSpec>;
  /** Limits per Item (per access token), by Plaid path. Merged over the defaults. */
  perItem?: Record<string, LimitSpec>;
  /**
   * Calls that may wait in line per limiter (each endpoint's limiter and each Item's limiter, in
   * this process), checked when a call arrives; beyond it a call fails at once with
   * `RATE_LIMIT_QUEUE_FULL`. Default 1000.
   */
  maxQueued?: number;
  /** Share the limits between processes through Redis (ioredis). */
  redis?: RateLimitRedisOptions;
}
