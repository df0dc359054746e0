import type Bottleneck from 'bottleneck';
import { RateLimiterError } from '../../errors.js';
import type { PlaidEndpoint } from '../../events.js';
import type { LimitSpec } from '../../options.js';
import { isBottleneckError } from './bottleneck-builds.js';

/*
 * How a limit "at most `limit` starts in any window of `intervalMs`" is kept with bottleneck.
 *
 * - A reservoir refreshed every `intervalMs` counts fixed windows: `limit` starts at the end of
 *   one window and `limit` more at the start of the next put 2 × limit in one sliding window.
 * - `minTime = intervalMs / limit` spaces every start: no burst at all, so a user's second balance
 *   call for one Item waits 12 s in production even though Plaid would accept it.
 * - Chosen: `maxConcurrent = limit`, and each start holds its slot until `intervalMs` after the
 *   call started (the slot, not the HTTP call: the call itself runs free). A slot taken at `t`
 *   is free again no sooner than `t + intervalMs`, so no window of `intervalMs` ever holds more
 *   than `limit` starts, yet `limit` calls may start at once and the line then moves at exactly
 *   the limit's pace. In Redis mode the slots live in Redis, so the guarantee holds across
 *   processes, and a job `expiration` frees the slots of a process that died.
 *
 * A reservoir is kept as well, as an on/off switch: it is refilled every `intervalMs` to an
 * amount no window can use up, so it never binds in normal operation. `drain()` empties it when
 * Plaid answers 429 and refills it after one call's share of the window; should the process that
 * drained it be gone, the next periodic refill (bottleneck's heartbeat, also in Redis) ends the
 * pause at the latest at the window's end. (Refilled to `limit` instead, it would bind
 * whenever bottleneck's heartbeat, which stretches each refill period, is coarse next to the
 * window.)
 */

/**
 * How often a shared line with waiting calls asks Redis to announce its capacity again: one call's
 * share of the window (a lost hand-over then costs about one call's turn), from 100 ms to 1 s.
 */
function nudgeIntervalMs(spec: LimitSpec): number {
  return Math.min(1_000, Math.max(100, Math.round(spec.intervalMs / spec.limit)));
}

/** The reservoir's refill: more starts than any window allows, so only a drain stops calls. */
const openReservoir = 1_000_000_000;

/** Bottleneck settings for one limit. */
export function limiterSettings(spec: LimitSpec): Bottleneck.ConstructorOptions {
  return {
    maxConcurrent: spec.limit,
    reservoir: openReservoir,
    reservoirRefreshAmount: openReservoir,
    reservoirRefreshInterval: spec.intervalMs,
  };
}

/** A slot granted by a line: hold it for the window after the call started, or give it back. */
export interface Slot {
  /** The call started at `startedAt` (ms since epoch): keep the slot until its window ends. */
  hold(startedAt: number): void;
  /** No call was started with this slot: free it at once. */
  giveBack(): void;
}

/** What a line reports when a call waited for its slot. */
export type WaitedListener = (waitedMs: number) => void;

/**
 * A call is reported as having waited when, as it joined, this process saw the line full or paused,
 * or (other processes, in Redis mode, hold slots this one cannot see) when it waited this long.
 */
const waitedThresholdMs = 100;

/** Where a line is, for error messages and events. */
export interface LineLabel {
  endpoint: PlaidEndpoint;
  perItem: boolean;
}

/**
 * The calls waiting for one bottleneck limiter. Counts them itself for `maxQueued`: bottleneck
 * cannot take an aborted job out of its queue (the job stays there and gives its slot back when
 * its turn comes), and its `highWater` would count those dead jobs.
 */
export class Line {
  private waiting = 0;
  /** Slots this process holds now (granted, window not over). */
  private held = 0;
  /** Until when this process drained the line (its own estimate). */
  private pausedUntil = 0;
  /** Drains so far, so that only the latest one reopens the line. */
  private drains = 0;
  /** Redis mode: the timer that nudges the cluster while calls wait here (see `nudge`). */
  private nudger: NodeJS.Timeout | undefined;

  /**
   * @param limiter the bottleneck limiter of this line
   * @param spec its limit
   * @param label what it limits
   * @param expirationMs in Redis mode, how long Redis keeps a slot whose process died
   * @param ready resolves when the limiter can take jobs (Redis: connected and initialised)
   */
  constructor(
    readonly limiter: Bottleneck,
    readonly spec: LimitSpec,
    private readonly label: LineLabel,
    private readonly expirationMs: number | undefined,
    private readonly ready: () => Promise<void>,
  ) {}

  /** Whether another call may join the line under `maxQueued`. */
  hasRoom(maxQueued: number): boolean {
    return this.waiting < maxQueued;
  }

  /**
   * Whether a call joining now gets a slot without waiting. Known only for a line kept in this
   * process; a shared line's slots are also held by other processes, so it answers false.
   */
  hasFreeSlot(): boolean {
    return this.expirationMs === undefined && !this.looksFull(Date.now());
  }

  /** What this process sees at `now`: every slot held or asked for, or the line paused after a 429. */
  private looksFull(now: number): boolean {
    return this.held + this.waiting >= this.spec.limit || now < this.pausedUntil;
  }

  /**
   * Waits for a slot. Rejects at once with the reason of the first of `signals` to abort (the
   * caller's signal, the facade's close signal); the job left in bottleneck's queue gives its
   * slot back when its turn comes.
   */
  async take(signals: ReadonlyArray<AbortSignal>, onWaited: WaitedListener): Promise<Slot> {
    for (const signal of signals) signal.throwIfAborted();
    const joinedAt = Date.now();
    const mustWait = this.looksFull(joinedAt);
    this.waiting += 1;
    this.startNudging();
    let settled = false;
    const cleanups: Array<() => void> = [];
    try {
      return await new Promise<Slot>((resolve, reject) => {
        const fail = (error: unknown): void => {
          if (settled) return;
          settled = true;
          reject(error);
        };
        for (const signal of signals) {
          const onAbort = (): void => fail(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          cleanups.push(() => signal.removeEventListener('abort', onAbort));
        }
        this.ready()
          .then(() =>
            this.limiter.schedule(this.jobOptions(), () => {
              return new Promise<void>((release) => {
                if (settled) {
                  release(); // aborted or closed while in line: nothing starts, the slot is free again
                  return;
                }
                settled = true;
                const waitedMs = Date.now() - joinedAt;
                if (mustWait || waitedMs >= waitedThresholdMs) onWaited(waitedMs);
                this.held += 1;
                resolve(
                  holdingSlot(() => {
                    this.held -= 1;
                    release();
                  }, this.spec.intervalMs),
                );
              });
            }),
          )
          .catch((error: unknown) => fail(this.mapError(error)));
      });
    } finally {
      this.waiting -= 1;
      if (this.waiting === 0) this.stopNudging();
      for (const cleanup of cleanups) cleanup();
    }
  }

  /**
   * Plaid said the limit was exceeded: no call starts on this line for one call's share of the
   * window (`intervalMs / limit`: 12 s for 5 a minute, 50 ms for 1,200 a minute). A retry sooner
   * than that would only be refused again; a whole window would stall every caller for a minute.
   */
  async drain(): Promise<void> {
    const pauseMs = Math.ceil(this.spec.intervalMs / this.spec.limit);
    const drain = ++this.drains;
    this.pausedUntil = Date.now() + pauseMs;
    await this.ready();
    // Not updateSettings({ reservoir: 0 }): in bottleneck 2.19.5's local datastore,
    // updateSettings() clears the heartbeat that refills the reservoir, so the pause never ends.
    const current = await this.limiter.currentReservoir();
    if (current !== null && current > 0) await this.limiter.incrementReservoir(-current);
    // Reopen after the pause, unless a later drain extended it. Should this process not live to do
    // it, the periodic refill reopens the line at the end of the window.
    setTimeout(() => {
      if (drain === this.drains) void this.reopen();
    }, pauseMs).unref();
  }

  private async reopen(): Promise<void> {
    try {
      const current = await this.limiter.currentReservoir();
      if (current !== null && current < openReservoir) await this.limiter.incrementReservoir(openReservoir - current);
    } catch {
      // closed meanwhile, or Redis gone: the refill, or the next call's own error, takes over
    }
  }

  /**
   * bottleneck's Redis clustering hands freed capacity to one waiting process at a time through
   * pub/sub, and now and then no process takes it: queued jobs then wait for ever (bottleneck
   * issue #194; seen here about once in ten runs of three busy processes). While calls wait in a
   * shared line, this process asks Redis every `nudgeIntervalMs` to announce the line's capacity to
   * every process (`incrementReservoir(0)` publishes it), so a lost hand-over costs a moment, not a
   * hang.
   */
  private startNudging(): void {
    if (this.expirationMs === undefined || this.nudger) return;
    this.nudger = setInterval(() => {
      this.limiter.incrementReservoir(0).catch(() => {
        // Redis unreachable: the waiting calls fail on their own; nothing to add here
      });
    }, nudgeIntervalMs(this.spec));
    this.nudger.unref();
  }

  private stopNudging(): void {
    clearInterval(this.nudger);
    this.nudger = undefined;
  }

  private jobOptions(): Bottleneck.JobOptions {
    return this.expirationMs === undefined ? {} : { expiration: this.expirationMs };
  }

  private mapError(error: unknown): unknown {
    if (isBottleneckError(error)) {
      return new RateLimiterError(`Rate limiter for ${this.describe()} failed: ${error.message}`, {
        code: 'RATE_LIMITER_ERROR',
      });
    }
    return error;
  }

  private describe(): string {
    return `${this.label.endpoint}${this.label.perItem ? ' (per Item)' : ''}`;
  }
}

function holdingSlot(release: () => void, intervalMs: number): Slot {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    release();
  };
  return {
    hold(startedAt) {
      // +1 ms: timers run on the monotonic clock, starts are stamped with Date.now(); never early.
      // unref: a held slot must not keep an otherwise finished process alive.
      setTimeout(once, Math.max(0, startedAt + intervalMs - Date.now()) + 1).unref();
    },
    giveBack: once,
  };
}
