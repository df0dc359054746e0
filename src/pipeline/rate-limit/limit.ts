import { RateLimiterError } from '../../errors.js';
import type { LimitSpec } from '../../options.js';

export type { LimitSpec };

/*
 * One interface for a rate limit, whatever keeps it: this process (`window.ts`, `local.ts`) or
 * Redis (`shared.ts`, on `redis-windows.ts`). The facade only ever talks to a `Limit`; the
 * contract tests in test/rate-limit/ run the same assertions against every implementation.
 */

/** A call had to wait for a limit; reported once per limit it waited for, when the wait ended. */
export interface WaitReport {
  /** Whether the limit waited for is the Item's (else the endpoint's). */
  readonly perItem: boolean;
  /** How long the call waited, in milliseconds, whether it then got its slot or not. */
  readonly waitedMs: number;
}

/** Which calls may wait: `'interactive'` ones go first; `'background'` ones never take more than their share. */
export type Lane = 'interactive' | 'background';

/** How the lanes share a window and how long a call may wait, the same for every window of a limit. */
export interface LaneSettings {
  /** The share of any window background calls may hold (0..1]. Default 1 (no cap). */
  readonly backgroundShare?: number | undefined;
  /** The longest an interactive call may wait for a slot; undefined: no bound. */
  readonly maxWaitMs?: number | undefined;
  /** The longest a background call may wait for a slot; undefined: no bound. */
  readonly backgroundMaxWaitMs?: number | undefined;
}

/** The slots a call of `lane` may see held and still take one: the whole limit, or the background share of it (at least 1). */
export function laneLimit(spec: LimitSpec, lane: Lane, settings: LaneSettings): number {
  if (lane === 'interactive') return spec.limit;
  return Math.max(1, Math.floor(spec.limit * (settings.backgroundShare ?? 1)));
}

/** The longest a call of `lane` may wait, or undefined for no bound. */
export function maxWaitOf(lane: Lane, settings: LaneSettings): number | undefined {
  return lane === 'interactive' ? settings.maxWaitMs : settings.backgroundMaxWaitMs;
}

/** Whether a waiting call of lane `ahead` goes before a new call of `lane` (interactive calls pass background ones). */
export function goesBefore(ahead: Lane, lane: Lane): boolean {
  return ahead === 'interactive' || lane === 'background';
}

/** What a call asks of a limit. */
export interface AcquireRequest {
  /** The call's lane. Default `'interactive'`. */
  readonly lane?: Lane | undefined;
  /** The Item, for per-Item windows; without it only the endpoint's window applies. */
  readonly itemId?: string | undefined;
  /** Aborting it takes a waiting call out of the line at once: it rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Told when the call had to wait (for each limit it waited for), as soon as the wait is over:
   * granted, aborted, refused or closed alike. Must not throw.
   */
  readonly onWaited?: ((report: WaitReport) => void) | undefined;
  /**
   * How long the call may take once sent (its attempt's timeout): shared windows free a slot no
   * later than this plus a window after its grant, should the process stop before the call settles.
   */
  readonly timeoutMs?: number | undefined;
}

/**
 * The slots one call holds. Plaid counts a request when it arrives, which can be any time until
 * its answer comes back; so a slot stays held until `intervalMs` after `release()`. No window at
 * Plaid then sees more than `limit` arrivals, whatever the latency.
 */
export interface Permit {
  /** The call's answer or failure came back: the slots free themselves `intervalMs` from now. */
  release(): void;
  /** No request was sent with this permit: the slots are free at once. */
  cancel(): void;
}

/** Which window a 429 from Plaid concerns. */
export interface PauseRequest {
  /** Pause only this Item's window (Plaid named a per-Item limit); else the endpoint's. */
  readonly itemId?: string | undefined;
}

/** The limits of one Plaid endpoint: its client-wide window and, where it has one, one per Item. */
export interface Limit {
  /**
   * Waits until the call may be sent, then resolves with its permit (release or cancel it exactly
   * once). A call that finds room resolves without a timer. Rejects with `RateLimiterError`
   * (`RATE_LIMIT_QUEUE_FULL` when it must wait and `maxQueued` calls already wait;
   * `RATE_LIMITER_CLOSED`; `RATE_LIMIT_REDIS_UNAVAILABLE`), or with the signal's reason.
   */
  acquire(request: AcquireRequest): Promise<Permit>;
  /**
   * Plaid answered 429: no new call starts on that window for one call's share of it
   * (`intervalMs / limit`). A retry sooner would only be refused again; a whole window would
   * stall every caller for a minute.
   */
  pause(request: PauseRequest): void;
  /**
   * Rejects the waiting calls with `RATE_LIMITER_CLOSED`, stops every timer and, for Redis, closes
   * the limit's connection. Returns within a bound even when Redis does not answer.
   */
  close(): Promise<void>;
}

/** How long a 429 pauses a window: one call's share of it, at least 1 ms. */
export function pauseMs(spec: LimitSpec): number {
  return Math.max(1, Math.ceil(spec.intervalMs / spec.limit));
}

/** The refusal of a call that must wait when `maxQueued` calls already wait for `label`. */
export function queueFullError(label: string, maxQueued: number): RateLimiterError {
  const message =
    maxQueued === 0
      ? `No room in ${label} and rateLimit.maxQueued is 0 (never wait): the call was not sent.`
      : `Too many calls waiting for ${label}: ${maxQueued} already in line (rateLimit.maxQueued). ` +
        'The call was not sent; slow down or raise maxQueued.';
  return new RateLimiterError(message, { code: 'RATE_LIMIT_QUEUE_FULL' });
}

/**
 * The refusal of a call that would wait longer than it may (`rateLimit.maxWaitMs`), with when a
 * slot is expected, rounded up to whole milliseconds. Whether it is retried, and by whom: its row
 * in the table `classify.ts` owns (`errors/retryable.ts`): by you, after `retryAfterMs`.
 */
export function waitExceededError(label: string, maxWaitMs: number, expectedMs: number): RateLimiterError {
  const retryAfterMs = Math.max(1, Math.ceil(expectedMs));
  return new RateLimiterError(
    `No slot in ${label} within ${maxWaitMs} ms (rateLimit.maxWaitMs): one is expected in about ${retryAfterMs} ms. ` +
      'The call was not sent; try again after retryAfterMs, or send it in the background lane.',
    { code: 'RATE_LIMIT_WAIT_EXCEEDED', retryAfterMs },
  );
}

/** The refusal of every call once the facade is closed. */
export function closedError(): RateLimiterError {
  return new RateLimiterError('The rate limiter was closed', { code: 'RATE_LIMITER_CLOSED' });
}

/**
 * A waiting call's `resolve` and `reject`, which also stop listening for its signal's abort: a
 * call that got its slot (or failed) no longer leaves the line when its signal aborts later.
 */
export function settlers<T>(
  signal: AbortSignal | undefined,
  onAbort: () => void,
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
): { resolve: (value: T) => void; reject: (error: unknown) => void } {
  return {
    resolve(value) {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    },
    reject(error) {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    },
  };
}
