/**
 * The rate limiter's options (`PlaidFacadeOptions.rateLimit`), as users write them and as the
 * limiter receives them (`ResolvedRateLimit`). Re-exported by `options.ts`.
 */
import type { EndpointLimits } from './plaid-limits.js';

/** At most `limit` calls started in any window of `intervalMs` (a sliding window, not a fixed one). */
export interface LimitSpec {
  /** How many calls may start in any window of `intervalMs`. A positive integer. */
  limit: number;
  /** The window, in milliseconds. A positive integer. */
  intervalMs: number;
}

/**
 * The subset of an ioredis client that rate limiting needs. Pass an ioredis `Redis` or `Cluster`
 * instance: the shared limits run their Lua scripts through ioredis' `defineCommand`, on a
 * duplicate of this client (see `RateLimitOptions.redis`), never on the client itself.
 */
export interface RedisLike {
  /**
   * Opens a new connection with the same options (ioredis' `duplicate`: `duplicate(options)` on a
   * `Redis`, `duplicate(startupNodes, options)` on a `Cluster`).
   */
  duplicate(...args: never[]): unknown;
  /** True on an ioredis `Cluster`. */
  readonly isCluster?: boolean | undefined;
  /** Defines a Lua script as a command (ioredis' `defineCommand`), which the shared limits run. */
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
   * An ioredis client: a `Redis`, or a `Cluster` (each Item's window then lives in a hash slot of
   * its own, spread over the masters; each endpoint's window in another). The limiter opens one
   * connection of its own with `client.duplicate()` (keeping its own options: no offline queue,
   * fast reconnects) and closes it in `close()`; your client is never used for commands nor closed.
   */
  client: RedisLike;
  /** Prefix of the Redis keys, without `{` or `}` (the limiter sets the hash tags). Default `'plaid-facade'`. */
  prefix?: string | undefined;
  /**
   * The bound of every Redis operation of the limiter, waiting for the connection included, in
   * milliseconds. A call whose operation gets no answer in time fails with `RateLimiterError`
   * `RATE_LIMIT_REDIS_UNAVAILABLE` instead of waiting (retryable by you; not retried by the facade:
   * the call was not sent); `close()` gives up on Redis after it too. Default 1000.
   */
  timeoutMs?: number | undefined;
  /** @deprecated Use `timeoutMs`, which bounds every Redis operation; taken as `timeoutMs` when that is not set. */
  readyTimeoutMs?: number | undefined;
}

/** Client-side rate limiting. Defaults follow Plaid's documented limits for the environment. */
export interface RateLimitOptions {
  /** Limits for the whole client, by Plaid path, e.g. `'/accounts/balance/get'`. Merged over the defaults. */
  endpoints?: Record<string, LimitSpec> | undefined;
  /** Limits per Item (per access token), by Plaid path. Merged over the defaults. */
  perItem?: Record<string, LimitSpec> | undefined;
  /**
   * Calls that may wait per limit (the endpoint's, and each Item's, in this process). Only calls
   * that must wait count: a call that finds room always starts. A call that must wait when this
   * many already do fails at once with `RATE_LIMIT_QUEUE_FULL`; `0` means never wait. Default 1000.
   */
  maxQueued?: number | undefined;
  /**
   * The longest an interactive call may wait for a slot, in milliseconds. A call whose wait is
   * expected to be longer (or that has waited this long) fails at once with `RateLimiterError`
   * `RATE_LIMIT_WAIT_EXCEEDED` (retryable, with `retryAfterMs`), and nothing is sent. Background
   * calls are not bounded. Default 5000 (a page refresh beyond a per-Item limit fails fast instead
   * of waiting up to a minute); `Infinity` never bounds.
   */
  maxWaitMs?: number | undefined;
  /** How calls of the `'background'` lane (`callOptions.lane`) share the windows with interactive ones. */
  lanes?: RateLimitLanes | undefined;
  /** Share the limits between processes through Redis (ioredis `Redis` or `Cluster`). */
  redis?: RateLimitRedisOptions | undefined;
}

/**
 * The lanes of the rate limiter.
 * @inline
 */
export interface RateLimitLanes {
  /** Background calls: never more than `maxShare` (0..1, default 0.5) of any window. */
  background?:
    | {
        /** The largest share (0..1) of any window that background calls may hold; default 0.5. */
        maxShare: number;
      }
    | undefined;
}

/** Rate limiting as the limiter receives it: the limits in force, every default filled in. */
export interface ResolvedRateLimit {
  limits: Record<string, EndpointLimits>;
  maxQueued: number;
  /** Interactive calls' bound on waiting; undefined: none. */
  maxWaitMs: number | undefined;
  /** The share of a window background calls may hold. */
  backgroundShare: number;
  redis: { client: RedisLike; prefix: string; timeoutMs: number } | undefined;
}
