import { setMaxListeners } from 'node:events';
import { PlaidRateLimitError, RateLimiterError } from '../../errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from '../../events.js';
import type { PlaidEnvironment, ResolvedRateLimit } from '../../options.js';
import { isClientWideRateLimit } from '../classify.js';
import { loadClusteredBottleneck, localBottleneck } from './bottleneck-builds.js';
import type { Line, Slot } from './line.js';
import { LineRegistry } from './lines.js';
import { createRedisBackend, type RedisBackend } from './bottleneck-redis.js';

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
  /**
   * Runs `task` once the limits allow it: first the Item's limit (if the endpoint has one and
   * `itemId` is given), then the endpoint's. Rejects at once with `RATE_LIMIT_QUEUE_FULL` when a
   * line is full, with the signal's reason when `signal` aborts while waiting, and with
   * `RATE_LIMITER_CLOSED` after `close()`. When `task` fails with Plaid's 429, the limit it names
   * (the Item's, or the whole endpoint's: see `isClientWideRateLimit`) pauses for one call's
   * share of its window.
   */
  schedule<T>(request: RateLimitRequest, task: () => Promise<T>): Promise<T>;
  /**
   * Rejects the calls still waiting and stops the limiters. Shared through Redis, the limiters stay
   * connected in the background until the slots of calls already started reach the end of their
   * windows (at most one window), so that other processes get them back on time; then the Redis
   * connections close.
   */
  close(): Promise<void>;
}

/** The limiters of one facade, and their Redis connection when shared. */
interface Backend {
  lines: LineRegistry;
  redis: RedisBackend | undefined;
}

/** The limiter of `rateLimit: false`: every call goes straight through. */
const passThrough: RateLimiter = {
  schedule: (_request, task) => task(),
  close: async () => {},
};

/**
 * Creates the rate limiter for a facade from its resolved limits (options.ts), kept with
 * bottleneck (in this process, or shared through Redis). `false` turns limiting off. `emit` must
 * already be safe (a throwing listener cannot break a call).
 */
export function createRateLimiter(
  settings: ResolvedRateLimit | false,
  environment: PlaidEnvironment,
  emit: (event: PlaidFacadeEvent) => void,
): RateLimiter {
  if (settings === false) return passThrough;
  const { limits, maxQueued } = settings;
  // In process: bottleneck's light build, at once. Shared through Redis: the full build, loaded
  // now in the background; the first call waits for it.
  let backend: Backend | undefined;
  let loading: Promise<Backend>;
  const redisOptions = settings.redis;
  if (redisOptions) {
    loading = loadClusteredBottleneck().then((Bottleneck) => {
      const redis = createRedisBackend(redisOptions, Bottleneck);
      backend = { lines: new LineRegistry(limits, environment, Bottleneck, redis), redis };
      return backend;
    });
    // a failed load is reported to the calls that wait for it, not as an unhandled rejection
    loading.catch(() => {});
  } else {
    backend = { lines: new LineRegistry(limits, environment, localBottleneck, undefined), redis: undefined };
    loading = Promise.resolve(backend);
  }
  const closing = new AbortController();
  // every waiting call listens to it (and stops listening once it leaves the line): no leak
  setMaxListeners(0, closing.signal);

  const take = (line: Line, request: RateLimitRequest, perItem: boolean): Promise<Slot> => {
    const signals = request.signal ? [request.signal, closing.signal] : [closing.signal];
    return line.take(signals, (waitedMs) =>
      emit({ type: 'rate-limited', endpoint: request.endpoint, reason: 'queued', perItem, waitedMs }),
    );
  };

  // Plaid answered 429: no further call of the limit it names starts until one call's share of
  // the window has passed. The client-wide balance limit slows the whole endpoint; any other code
  // with an Item slows only that Item.
  const pauseAfter429 = (lines: LineRegistry, request: RateLimitRequest, error: PlaidRateLimitError): void => {
    if (closing.signal.aborted) return;
    const itemLine =
      request.itemId === undefined || isClientWideRateLimit(error)
        ? undefined
        : lines.itemLine(request.endpoint, request.itemId);
    const line = itemLine ?? lines.endpointLine(request.endpoint);
    emit({ type: 'rate-limited', endpoint: request.endpoint, reason: 'plaid', perItem: itemLine !== undefined });
    // Best effort: if Redis is down the call that follows fails clearly on its own.
    line?.drain().catch(() => {});
  };

  return {
    async schedule(request, task) {
      closing.signal.throwIfAborted();
      const { lines } = backend ?? (await loading);
      closing.signal.throwIfAborted();
      const itemLine = request.itemId === undefined ? undefined : lines.itemLine(request.endpoint, request.itemId);
      const endpointLine = lines.endpointLine(request.endpoint);
      if (!itemLine && !endpointLine) return task();
      if (itemLine && !itemLine.hasRoom(maxQueued)) throw queueFull(request.endpoint, true, maxQueued);
      if (endpointLine && !endpointLine.hasRoom(maxQueued)) throw queueFull(request.endpoint, false, maxQueued);

      const [itemSlot, endpointSlot] = await takeBoth(
        itemLine && (() => take(itemLine, request, true)),
        endpointLine && (() => take(endpointLine, request, false)),
        itemLine?.hasFreeSlot() ?? true,
      );
      const startedAt = Date.now();
      itemSlot?.hold(startedAt);
      endpointSlot?.hold(startedAt);
      try {
        return await task();
      } catch (error) {
        if (error instanceof PlaidRateLimitError) pauseAfter429(lines, request, error);
        throw error;
      }
    },

    async close() {
      if (closing.signal.aborted) return;
      closing.abort(new RateLimiterError('The rate limiter was closed', { code: 'RATE_LIMITER_CLOSED' }));
      // Redis first: once bottleneck's connection is terminated, a limiter's disconnect() no
      // longer unsubscribes, which rejects unhandled inside bottleneck when Redis is unreachable.
      const current = backend ?? (await loading.catch(() => undefined));
      if (!current) return;
      const { lines, redis } = current;
      if (!redis) {
        await lines.close();
        return;
      }
      // Shared limits: the slots of calls already started stay held to the end of their windows
      // (Plaid counts those calls), then are freed in Redis for the other processes. Closing the
      // connection now would leave them to Redis's expiry instead: a window plus 5 s, and minutes
      // for Item slots. So the connection closes in the background, within one window.
      void lines
        .releaseHeldSlots()
        .then(() => redis.close())
        .then(() => lines.close())
        .catch(() => {
          // Redis gone meanwhile: its expiry frees the slots; nothing is left to close
        });
    },
  };
}

/**
 * Takes the Item's slot and the endpoint's. When the Item's line has a free slot both are taken
 * at once (each take costs a turn of bottleneck's scheduling). Otherwise the Item's comes first:
 * waiting for it must not hold one of the endpoint's slots, which every other Item needs. A slot
 * taken when the other take fails is given back.
 */
async function takeBoth(
  takeItem: (() => Promise<Slot>) | undefined,
  takeEndpoint: (() => Promise<Slot>) | undefined,
  together: boolean,
): Promise<[Slot | undefined, Slot | undefined]> {
  if (together) {
    const [item, endpoint] = await Promise.allSettled([takeItem?.(), takeEndpoint?.()]);
    if (item.status === 'fulfilled' && endpoint.status === 'fulfilled') return [item.value, endpoint.value];
    if (item.status === 'fulfilled') item.value?.giveBack();
    if (endpoint.status === 'fulfilled') endpoint.value?.giveBack();
    throw item.status === 'rejected' ? item.reason : (endpoint as PromiseRejectedResult).reason;
  }
  const item = await takeItem?.();
  try {
    return [item, await takeEndpoint?.()];
  } catch (error) {
    item?.giveBack();
    throw error;
  }
}

function queueFull(endpoint: PlaidEndpoint, perItem: boolean, maxQueued: number): RateLimiterError {
  const which = perItem ? `this Item's limit on ${endpoint}` : `the limit of ${endpoint}`;
  return new RateLimiterError(
    `Too many calls waiting for ${which}: ${maxQueued} already in line (rateLimit.maxQueued). ` +
      'The call was not sent; slow down or raise maxQueued.',
    { code: 'RATE_LIMIT_QUEUE_FULL', retryable: false },
  );
}
