import { PlaidRateLimitError } from '../../errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from '../../events.js';
import type { PlaidEnvironment, ResolvedRateLimit } from '../../options.js';
import { isClientWideRateLimit } from '../classify.js';
import { type Clock, realClock } from './clock.js';
import { closedError, type Lane, type LaneSettings, type Limit } from './limit.js';
import { createLocalLimit } from './local.js';
import { RedisConnection } from './redis-connection.js';
import { createSharedLimit } from './shared.js';

/*
 * The facade's rate limiter: one `Limit` per Plaid endpoint (in this process, `local.ts`, or shared
 * through Redis, `shared.ts`), created on the endpoint's first call. It runs each attempt inside a
 * permit and watches the attempt's own failure: a 429 from Plaid pauses the window concerned.
 *
 * What a 429 does, end to end (docs/architecture.md's "What does a 429 do?"):
 * 1. `pipeline/classify.ts` makes Plaid's answer a `PlaidRateLimitError`, retryable unless a retry
 *    within seconds cannot cure it (`ADDITION_LIMIT`), and says whether it names the whole client's
 *    limit (`isClientWideRateLimit`) or one Item's.
 * 2. `schedule` (below) sees it fail its own task and pauses the Item's window, or the endpoint's
 *    when the 429 is client-wide or the endpoint has no per-Item limit, for one call's share of the
 *    window (`pauseMs` in `limit.ts`: `intervalMs / limit`), and emits `rate-limited` (`'plaid'`).
 * 3. `pipeline/retry.ts` tries again after its full-jitter delay, within `retries` and the retry
 *    budget; that attempt waits here for the pause to end, or, when the pause outlasts the lane's
 *    `maxWaitMs`, is refused at once with `RATE_LIMIT_WAIT_EXCEEDED` and `retryAfterMs` (the
 *    caller's to retry). Once the retries are spent, the caller gets the `PlaidRateLimitError`.
 * A 429 without Plaid's error body (a proxy's) is a retryable `PlaidApiError` `HTTP_429`: retried
 * the same way, with no pause.
 */

/** What one call asks of the rate limiter. */
export interface RateLimitRequest {
  /** The facade call asking, for the `rate-limited` events. */
  readonly callId?: string | undefined;
  readonly endpoint: PlaidEndpoint;
  /** The Item concerned, for per-Item limits. */
  readonly itemId?: string | undefined;
  /** Aborts the wait: a waiting call leaves the line at once and rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The attempt's timeout: how long a shared slot may stay held should this process stop first. */
  readonly timeoutMs?: number | undefined;
  /** The call's lane. Default `'interactive'`. */
  readonly lane?: Lane | undefined;
}

/** The facade's view of rate limiting. */
export interface RateLimiter {
  /**
   * Runs `task` (one attempt) once the limits allow it, and holds its slots until a window after
   * it settled. A task failing with `PlaidRateLimitError` pauses its Item's window (or, for
   * Plaid's client-wide `ACCOUNTS_BALANCE_GET_LIMIT` or a call without Item, the endpoint's).
   * Rejects with `RateLimiterError` or the signal's reason without running `task`.
   */
  schedule<T>(request: RateLimitRequest, task: () => Promise<T>): Promise<T>;
  /** Rejects the waiting calls and new ones with `RATE_LIMITER_CLOSED`; returns within a bound even with Redis down. */
  close(): Promise<void>;
}

/** The limiter of `rateLimit: false`: every call goes straight through. */
const passThrough: RateLimiter = {
  schedule: (_request, task) => task(),
  close: async () => {},
};

/**
 * Creates the rate limiter of a facade from its resolved limits (options.ts); `false` turns
 * limiting off. `emit` must already be safe (a throwing listener cannot break a call). `clock`:
 * tests pass a fake one.
 */
export function createRateLimiter(
  settings: ResolvedRateLimit | false,
  environment: PlaidEnvironment,
  emit: (event: PlaidFacadeEvent) => void,
  clock?: Clock,
): RateLimiter {
  if (settings === false) return passThrough;
  const redis = settings.redis;
  // Shared limits: the endpoints' and the Items' windows on one engine, Lua scripts of our own
  const connection = redis && new RedisConnection(redis.client, redis.timeoutMs);
  const lanes: LaneSettings = { backgroundShare: settings.backgroundShare, maxWaitMs: settings.maxWaitMs };
  const limits = new Map<string, Limit | undefined>();
  let closed = false;

  const limitOf = (endpoint: PlaidEndpoint): Limit | undefined => {
    if (limits.has(endpoint)) return limits.get(endpoint);
    const endpointLimits = settings.limits[endpoint];
    let limit: Limit | undefined;
    if (endpointLimits?.perEndpoint || endpointLimits?.perItem) {
      const common = {
        endpoint,
        perEndpoint: endpointLimits.perEndpoint,
        perItem: endpointLimits.perItem,
        maxQueued: settings.maxQueued,
        lanes,
      };
      limit =
        connection && redis
          ? createSharedLimit({
              ...common,
              connection,
              keyPrefix: `${redis.prefix}:${environment}:${endpoint}`,
              clock: clock ?? realClock,
              fakeTime: clock !== undefined,
            })
          : createLocalLimit({ ...common, clock: clock ?? realClock });
    }
    limits.set(endpoint, limit);
    return limit;
  };

  return {
    async schedule(request, task) {
      if (closed) throw closedError();
      const limit = limitOf(request.endpoint);
      if (!limit) return task();
      const { callId, endpoint, itemId } = request;
      const permit = await limit.acquire({
        itemId,
        signal: request.signal,
        timeoutMs: request.timeoutMs,
        lane: request.lane,
        // also when the wait ends without a slot (aborted, refused, closed): it did wait
        onWaited: ({ perItem, waitedMs }) =>
          emit({ type: 'rate-limited', callId, endpoint, reason: 'queued', perItem, waitedMs }),
      });
      try {
        return await task();
      } catch (error) {
        if (error instanceof PlaidRateLimitError) {
          // Plaid's client-wide balance limit slows the whole endpoint; any other code, that Item
          const perItem = itemId !== undefined && !isClientWideRateLimit(error) && !!settings.limits[endpoint]?.perItem;
          limit.pause({ itemId: perItem ? itemId : undefined });
          emit({ type: 'rate-limited', callId, endpoint, reason: 'plaid', perItem });
        }
        throw error;
      } finally {
        permit.release();
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...limits.values()].map((limit) => limit?.close()));
      await connection?.close();
    },
  };
}
