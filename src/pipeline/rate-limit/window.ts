import type { RateLimiterError } from '../../errors.js';
import type { Clock } from './clock.js';
import { IdleKeys } from './idle-keys.js';
import {
  type Lane,
  type LaneSettings,
  type LimitSpec,
  laneLimit,
  maxWaitOf,
  pauseMs,
  queueFullError,
  waitExceededError,
} from './limit.js';
import { hasRoom, type KeyState, newState, positionOf, type Waiter } from './window-key.js';

/*
 * A sliding window kept in this process, one per limit, with a state per key (per Item, or one
 * key for an endpoint's client-wide limit).
 *
 * - A slot is held from the moment it is granted until `intervalMs` after the call settled
 *   (`Slot.release`): Plaid counts arrivals, and a request may arrive any time before its answer.
 * - A call that finds room (no call waiting before it, fewer than `limit` slots held, no pause)
 *   gets its slot synchronously: no timer, no event-loop turn.
 * - Timers exist only while calls wait: one per key with waiters, due when the first slot frees
 *   or the pause ends, and one per window that drops the state of keys whose last window passed
 *   (so 100,000 Items called once leave nothing behind one window later).
 * The per-key state: `window-key.ts`; dropping idle keys: `idle-keys.ts`.
 */

/** One slot of a window, granted to one call. */
export interface Slot {
  /** The call settled: the slot stays held `intervalMs` more, then frees itself. */
  release(): void;
  /** No request was sent: the slot is free at once. */
  cancel(): void;
}

/** How a window is set up. */
export interface WindowOptions {
  readonly spec: LimitSpec;
  /** Calls that may wait per key; beyond it a call that must wait is refused. 0: never wait. */
  readonly maxQueued: number;
  readonly clock: Clock;
  /** What this window limits, for error messages, e.g. `"this Item's limit on /item/remove"`. */
  readonly label: string;
  /** The lanes' share of the window and their bounds on waiting. */
  readonly lanes?: LaneSettings | undefined;
}

/** What `acquire` is told besides the key. */
export interface WindowAcquire {
  readonly signal?: AbortSignal | undefined;
  /** Called when a call that had to wait leaves the line (granted or not), with the time it waited. */
  readonly onWaited?: ((waitedMs: number) => void) | undefined;
  /** Default `'interactive'`. */
  readonly lane?: Lane | undefined;
  /** Overrides the lane's bound on waiting (what is left of it after an earlier window). */
  readonly maxWaitMs?: number | undefined;
}

/** A sliding window of `spec.limit` calls per `spec.intervalMs`, per key. */
export class SlidingWindow {
  private readonly states = new Map<string, KeyState>();
  private readonly idle: IdleKeys;
  private closedWith: RateLimiterError | undefined;

  constructor(private readonly options: WindowOptions) {
    this.idle = new IdleKeys(options.clock, options.spec.intervalMs, (key) => {
      const state = this.states.get(key);
      // busy again since: it re-enters the idle keys when it next goes idle
      if (state && state.inFlight === 0 && state.waiters.length === 0) this.states.delete(key);
    });
  }

  /** Keys with state now (for tests and benches: it must drop to 0 once windows pass). */
  get size(): number {
    return this.states.size;
  }

  /** A slot for `key` at once, or undefined when the call would have to wait (or the window is closed). */
  tryAcquire(key: string, lane: Lane = 'interactive'): Slot | undefined {
    if (this.closedWith) return undefined;
    const state = this.states.get(key);
    if (!state) {
      const created = newState();
      created.inFlight = 1;
      this.states.set(key, created);
      return this.slot(key, created);
    }
    // waiting calls of its lane (or, for a background call, any) go first
    if (positionOf(state, lane) > 0 || !this.#hasRoom(state, this.options.clock.now(), lane)) return undefined;
    state.inFlight += 1;
    return this.slot(key, state);
  }

  /**
   * How long a call of `lane` joining the line now would wait at least: until enough slots free
   * for the calls before it and itself. Slots still in flight free no sooner than a window from now.
   */
  expectedWaitMs(key: string, lane: Lane = 'interactive'): number {
    const state = this.states.get(key);
    if (!state) return 0;
    const now = this.options.clock.now();
    this.#hasRoom(state, now, lane); // drops the frees that are past
    const held = state.inFlight + state.frees.length - state.head;
    const needed = held - laneLimit(this.options.spec, lane, this.lanes) + positionOf(state, lane) + 1;
    const settled = state.frees.length - state.head;
    let freeAt = now;
    if (needed > 0) {
      freeAt =
        needed <= settled ? (state.frees[state.head + needed - 1] as number) : now + this.options.spec.intervalMs;
    }
    return Math.max(0, freeAt - now, state.pausedUntil - now);
  }

  private get lanes(): LaneSettings {
    return this.options.lanes ?? {};
  }

  /**
   * A slot for `key`: at once when there is room, else in turn (first come, first served).
   * Rejects with `RateLimiterError` when the window is closed or `maxQueued` calls already wait,
   * with the signal's reason when it aborts while waiting.
   */
  acquire(key: string, request: WindowAcquire = {}): Promise<Slot> {
    const { signal } = request;
    const lane = request.lane ?? 'interactive';
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closedWith) return Promise.reject(this.closedWith);
    const slot = this.tryAcquire(key, lane);
    if (slot) return Promise.resolve(slot);
    const state = this.states.get(key) as KeyState;
    const sameLane = state.waiters.filter((waiter) => waiter.lane === lane).length;
    if (sameLane >= this.options.maxQueued) return Promise.reject(this.queueFull());
    const maxWaitMs = request.maxWaitMs ?? maxWaitOf(lane, this.lanes);
    if (maxWaitMs !== undefined) {
      const expected = this.expectedWaitMs(key, lane);
      if (expected > maxWaitMs) return Promise.reject(waitExceededError(this.options.label, maxWaitMs, expected));
    }
    return new Promise<Slot>((resolve, reject) => {
      const joinedAt = this.options.clock.now();
      const leave = (): void => {
        waiter.deadline?.cancel();
        signal?.removeEventListener('abort', onAbort);
        request.onWaited?.(this.options.clock.now() - joinedAt);
      };
      const waiter: Waiter = {
        lane,
        deadline: undefined,
        grant: (granted) => {
          leave();
          resolve(granted);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const leaveLine = (error: () => unknown): void => {
        const index = state.waiters.indexOf(waiter);
        if (index < 0) return;
        state.waiters.splice(index, 1);
        // the calls behind it may be granted now (a background call leaving lets none pass, an
        // interactive one may let a background one through the share)
        const failure = error();
        waiter.fail(failure);
        this.grantWaiting(key, state);
        this.settleIfIdle(key, state);
      };
      const onAbort = (): void => leaveLine(() => signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiters.splice(positionOf(state, lane), 0, waiter);
      if (maxWaitMs !== undefined) {
        // the estimate is a lower bound (slots in flight): the bound holds whatever it said
        waiter.deadline = this.options.clock.setTimeout(
          () => leaveLine(() => waitExceededError(this.options.label, maxWaitMs, this.expectedWaitMs(key, lane))),
          maxWaitMs,
        );
      }
      this.scheduleWake(key, state);
    });
  }

  /** Plaid answered 429 for `key`: no slot is granted on it for one call's share of the window. */
  pause(key: string): void {
    if (this.closedWith) return;
    let state = this.states.get(key);
    if (!state) {
      state = newState();
      this.states.set(key, state);
    }
    state.pausedUntil = Math.max(state.pausedUntil, this.options.clock.now() + pauseMs(this.options.spec));
    if (state.waiters.length > 0) {
      state.wake?.cancel();
      state.wake = undefined;
      this.scheduleWake(key, state);
    }
    this.settleIfIdle(key, state);
  }

  /** Rejects every waiting call with `error` and stops every timer; later calls are refused with it. */
  close(error: RateLimiterError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.idle.clear();
    for (const state of this.states.values()) {
      state.wake?.cancel();
      for (const waiter of state.waiters.splice(0)) {
        waiter.deadline?.cancel();
        waiter.fail(error);
      }
    }
    this.states.clear();
  }

  #hasRoom(state: KeyState, now: number, lane: Lane): boolean {
    return hasRoom(state, now, laneLimit(this.options.spec, lane, this.lanes));
  }

  private slot(key: string, state: KeyState): Slot {
    let done = false;
    const finish = (hold: boolean): void => {
      if (done) return;
      done = true;
      if (this.closedWith) return;
      state.inFlight -= 1;
      if (hold) state.frees.push(this.options.clock.now() + this.options.spec.intervalMs);
      // The state may have been dropped and replaced meanwhile only if it was idle, which a state
      // with a slot in flight never is.
      this.grantWaiting(key, state);
      this.settleIfIdle(key, state);
    };
    return { release: () => finish(true), cancel: () => finish(false) };
  }

  /** Grants slots to the calls waiting on `key`, in order, while there is room. */
  private grantWaiting(key: string, state: KeyState): void {
    const now = this.options.clock.now();
    // interactive calls stand before background ones: a background call first in line means none is left
    while (state.waiters.length > 0 && this.#hasRoom(state, now, (state.waiters[0] as Waiter).lane)) {
      const waiter = state.waiters.shift() as Waiter;
      state.inFlight += 1;
      waiter.grant(this.slot(key, state));
    }
    if (state.waiters.length > 0) this.scheduleWake(key, state);
    else {
      state.wake?.cancel();
      state.wake = undefined;
    }
  }

  /**
   * Sets the timer of a key with waiting calls for when a slot frees or the pause ends. With every
   * slot in flight no timer is needed: the next `release()` or `cancel()` comes first.
   */
  private scheduleWake(key: string, state: KeyState): void {
    if (state.wake) return;
    const now = this.options.clock.now();
    // paused: look again when the pause ends (the window may still be full then: a new timer)
    const dueAt =
      state.pausedUntil > now
        ? state.pausedUntil
        : state.head < state.frees.length
          ? (state.frees[state.head] as number)
          : undefined;
    if (dueAt === undefined) return;
    state.wake = this.options.clock.setTimeout(() => {
      state.wake = undefined;
      this.grantWaiting(key, state);
      this.settleIfIdle(key, state);
    }, dueAt - now);
  }

  /** A key with nothing in flight and nobody waiting can be dropped once its window has passed. */
  private settleIfIdle(key: string, state: KeyState): void {
    if (state.inFlight > 0 || state.waiters.length > 0) return;
    this.idle.add(key);
  }

  private queueFull(): RateLimiterError {
    return queueFullError(this.options.label, this.options.maxQueued);
  }
}
