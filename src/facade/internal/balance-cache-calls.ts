import type { CachedBalances } from '../../stores/balance-cache.js';
import { boundedCall } from '../../stores/bounded-call.js';
import type { FacadeContext } from './context.js';

/** Why a cache call did not answer: told apart from the cache's own failures in the event. */
class CacheTimeout extends Error {}

/**
 * Reads the balance cache within `balanceCacheTimeoutMs`: a cache that fails or does not answer in
 * time counts as a miss (`undefined`, with a `balance-cache-failed` event), so a cache costs at most
 * its bound, never the call. The caller's signal is honoured: its abort rejects with its reason.
 */
export async function cacheGet(
  context: FacadeContext,
  key: string,
  signal: AbortSignal | undefined,
): Promise<CachedBalances | undefined> {
  try {
    return await bounded(context, () => context.balances.cache.get(key), signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    reportFailure(context, 'get', error);
    return undefined;
  }
}

/**
 * Writes a live read to the balance cache in the background, within `balanceCacheTimeoutMs`; the
 * caller never waits for it. A write that fails or does not answer in time is dropped, with a
 * `balance-cache-failed` event (the next read with `maxAgeMs` reads live again). The promise
 * returned never rejects: it says when the write has landed or been given up.
 */
export function cacheSet(context: FacadeContext, key: string, value: CachedBalances, ttlMs: number): Promise<void> {
  return bounded(context, () => context.balances.cache.set(key, value, ttlMs), undefined).catch((error: unknown) =>
    reportFailure(context, 'set', error),
  );
}

function bounded<T>(context: FacadeContext, operation: () => Promise<T>, signal: AbortSignal | undefined) {
  const timeoutMs = context.options.balanceCacheTimeoutMs;
  return boundedCall(operation, {
    timeoutMs,
    signal,
    timeoutError: () => new CacheTimeout(`the balance cache did not answer within ${timeoutMs} ms`),
  });
}

function reportFailure(context: FacadeContext, operation: 'get' | 'set', error: unknown): void {
  context.pipeline.emit({
    type: 'balance-cache-failed',
    endpoint: '/accounts/balance/get',
    operation,
    reason: error instanceof CacheTimeout ? 'timeout' : 'error',
  });
}
