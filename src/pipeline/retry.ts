import pRetry from 'p-retry';
import { PlaidFacadeError, PlaidTimeoutError } from '../errors.js';
import type { ResolvedRetry } from '../options.js';
import { retriedByFacade } from './classify.js';
import type { RetryBudget } from './retry-budget.js';
import { sleep } from './sleep.js';

/**
 * Full jitter: a delay drawn uniformly from zero to the capped exponential bound
 * `min(maxDelayMs, minDelayMs * 2 ** (retry - 1))`, so that many clients failing together do not
 * retry together.
 */
export function fullJitterDelay(retry: number, options: ResolvedRetry, random: () => number = Math.random): number {
  const bound = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * bound);
}

/** What `withRetry` reports before each retry. */
export interface RetryNotice {
  error: PlaidFacadeError;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
}

/** Settings of one retried call. */
export interface RetryRun {
  options: ResolvedRetry;
  budget: RetryBudget;
  signal?: AbortSignal | undefined;
  onRetry?: (notice: RetryNotice) => void;
  /** Called with the facade error that ends the call (not with the caller's abort reason). */
  onGiveUp?: (error: PlaidFacadeError) => void;
  /** On the caller's abort: an error to end the call with instead of the signal's reason, if any. */
  onAbort?: () => PlaidFacadeError | undefined;
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails with an error the facade does not retry (`classify.ts`
 * decides: `retriedByFacade`; this file only obeys), runs out of
 * retries or of retry budget, or the signal aborts. p-retry drives the attempts, the bound and the
 * abort; its own delays are zero and the full-jitter sleep happens in `onFailedAttempt`, which
 * p-retry awaits, because p-retry's `randomize` only multiplies a delay by 1–2.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, run: RetryRun): Promise<T> {
  const { options, budget, signal } = run;
  let spent = 0;
  const retrying = new WeakSet<Error>();
  // The first attempt runs before p-retry: most calls succeed at once, and p-retry's set-up (its
  // options copied and checked, its loop) would be for nothing. Whatever else happens goes to
  // p-retry as before, its first attempt replaying what this one gave: an abort before or after
  // it, or its failure, is then p-retry's to handle, exactly as when p-retry ran it.
  let first: { failed: boolean; error?: unknown } = { failed: false };
  if (!signal?.aborted) {
    try {
      const result = await attempt(1);
      if (!signal?.aborted) {
        budget.refund(spent);
        return result;
      }
    } catch (error) {
      first = { failed: true, error };
    }
  }
  // Here the first attempt failed, or the signal aborted before or after it: never run twice.
  const replayFirst = (attemptNumber: number): Promise<T> =>
    attemptNumber === 1 ? Promise.reject(first.failed ? first.error : signal?.reason) : attempt(attemptNumber);
  try {
    const result = await pRetry(replayFirst, {
      retries: options.retries,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      signal,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        // Only a failure classify.ts says the facade retries: a limiter's refusal (a wait too long,
        // its Redis away) is the caller's to retry, and spends neither a retry nor the budget.
        if (!retriedByFacade(error) || retriesLeft <= 0) return;
        if (signal?.aborted) return;
        const cost = budget.take(error instanceof PlaidTimeoutError);
        if (cost === undefined) return;
        spent += cost;
        retrying.add(error);
        const delayMs = fullJitterDelay(attemptNumber, options, run.random);
        run.onRetry?.({ error, attempt: attemptNumber, delayMs });
        await sleep(delayMs, signal);
      },
      shouldRetry: ({ error }) => retrying.has(error),
    });
    budget.refund(spent);
    return result;
  } catch (error) {
    // p-retry turns a non-Error abort reason into a TypeError: give the caller its own reason.
    const final: unknown = signal?.aborted ? (run.onAbort?.() ?? signal.reason) : error;
    if (final instanceof PlaidFacadeError) run.onGiveUp?.(final);
    throw final;
  }
}
