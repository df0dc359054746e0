import { PlaidRateLimitError } from '../../errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from '../../events.js';
import { type Clock, realClock } from './clock.js';
import type { Limit, WindowSpec } from './limit.js';
import { createLocalLimit } from './local.js';
import { createRedisLimit } from './redis.js';
import { type DuplicableClient, RedisConnection } from './redis-connection.js';
import { RateLimiterError } from './rate-limiter-error.js';

/*
 * The facade's rate limiter: one `Limit` per Plaid endpoint (in this process, or shared through
 * Redis), created on the endpoint's first call. It runs each attempt inside a permit and watches
 * the attempt's own failure: a 429 from Plaid pauses the window concerned.
 */

/** One endpoint's limits: for the whole client and, where Plaid has one, per Item. */
export interface EndpointWindows {
  readonly endpoint?: WindowSpec | undefined;
  readonly perItem?: WindowSpec | undefined;
}

/** Rate limiting, resolved: every value valid and defaulted (see src/options.ts). */
export interface LimiterSettings {
  /** The limits in force, by Plaid path. */
  readonly limits: Readonly<Record<string, EndpointWindows>>;
  /** Calls that may wait per window; 0: never wait. */
  readonly maxQueued: number;
  /** Part of every Redis key, so that sandbox and production never share a limit. */
  readonly environment: string;
  /** Shared through Redis: the user's ioredis client (only duplicated), the key prefix, the bound of every operation. */
  readonly redis?:
    | { readonly client: DuplicableClient; readonly prefix: string; readonly timeoutMs: number }
    | undefined;
  /** Tests: a fake clock. */
  readonly clock?: Clock | undefined;
}

/** What one call asks of the rate limiter. */
export interface RateLimitRequest {
  readonly endpoint: PlaidEndpoint;
  /** The Item concerned, for per-Item limits. */
  readonly itemId?: string | undefined;
  /** Aborts the wait: a waiting call leaves the line at once and rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
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

/** Plaid error codes that name a client-wide limit rather than an Item's. */
const clientWideCodes = new Set(['ACCOUNTS_BALANCE_GET_LIMIT']);

/** The limiter of `rateLimit: false`: every call goes straight through. */
const passThrough: RateLimiter = {
  schedule: (_request, task) => task(),
  close: async () => {},
};

/** Creates the rate limiter of a facade; `false` turns limiting off. */
export function createRateLimiter(
  settings: LimiterSettings | false,
  emit: (event: PlaidFacadeEvent) => void,
): RateLimiter {
  if (settings === false) return passThrough;
  const clock = settings.clock ?? realClock;
  const connection = settings.redis && new RedisConnection(settings.redis.client, settings.redis.timeoutMs);
  const limits = new Map<string, Limit | undefined>();
  let closed = false;

  const limitOf = (endpoint: PlaidEndpoint): Limit | undefined => {
    if (limits.has(endpoint)) return limits.get(endpoint);
    const windows = settings.limits[endpoint];
    let limit: Limit | undefined;
    if (windows?.endpoint || windows?.perItem) {
      const common = {
        endpoint,
        perEndpoint: windows.endpoint,
        perItem: windows.perItem,
        maxQueued: settings.maxQueued,
      };
      limit =
        connection && settings.redis
          ? createRedisLimit({
              ...common,
              connection,
              keyPrefix: `${settings.redis.prefix}:${settings.environment}:${endpoint}`,
              clock: settings.clock,
            })
          : createLocalLimit({ ...common, clock });
    }
    limits.set(endpoint, limit);
    return limit;
  };

  return {
    async schedule(request, task) {
      if (closed) throw new RateLimiterError('The rate limiter was closed', 'RATE_LIMITER_CLOSED');
      const limit = limitOf(request.endpoint);
      if (!limit) return task();
      const { endpoint, itemId } = request;
      const permit = await limit.acquire({
        itemId,
        signal: request.signal,
        onWaited: ({ perItem, waitedMs }) =>
          safeEmit(emit, { type: 'rate-limited', endpoint, reason: 'queued', perItem, waitedMs }),
      });
      try {
        return await task();
      } catch (error) {
        if (error instanceof PlaidRateLimitError) {
          const perItem =
            itemId !== undefined && !clientWideCodes.has(error.errorCode) && !!settings.limits[endpoint]?.perItem;
          limit.pause({ itemId: perItem ? itemId : undefined });
          safeEmit(emit, { type: 'rate-limited', endpoint, reason: 'plaid', perItem });
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

/** A listener's exception must not break the call that emitted the event. */
function safeEmit(emit: (event: PlaidFacadeEvent) => void, event: PlaidFacadeEvent): void {
  try {
    emit(event);
  } catch {
    // ignored on purpose
  }
}
