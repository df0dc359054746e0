/*
 * The limiter reads time and sets timers only through a `Clock`, so that its tests run on a fake
 * one: a window of a minute is checked in microseconds, and a busy machine cannot make a test
 * see more calls in a window than the limit allows.
 */

/** A timer set with `Clock.setTimeout`. */
export interface ClockTimer {
  /** Cancels the timer; doing so twice, or after it ran, does nothing. */
  cancel(): void;
}

/** Time and timers, as the rate limiter sees them. */
export interface Clock {
  /** Milliseconds on a clock that never goes back. */
  now(): number;
  /**
   * Runs `run` after `delayMs`. The timer never keeps the process alive: a limit left with
   * waiting calls must not stop a finished program from exiting.
   */
  setTimeout(run: () => void, delayMs: number): ClockTimer;
}

/** The real clock: `performance.now()` (monotonic, unlike `Date.now()`) and unref'd timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(run, delayMs) {
    const timer = setTimeout(run, Math.max(0, delayMs));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** A clock for tests: time moves only when `advance` is called. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, running every timer that falls due, in order of due time. */
  advance(ms: number): void;
  /** Timers set and not yet run nor cancelled. */
  pendingTimers(): number;
  /** Milliseconds until the next timer is due, or undefined when none is set. */
  nextTimerIn(): number | undefined;
}

interface FakeTimer {
  dueAt: number;
  order: number;
  run: () => void;
}

/** Creates a fake clock starting at `start` ms. */
export function createFakeClock(start = 1_000_000): FakeClock {
  let now = start;
  let order = 0;
  const timers: FakeTimer[] = [];
  const next = (): FakeTimer | undefined => {
    let found: FakeTimer | undefined;
    for (const timer of timers) {
      if (!found || timer.dueAt < found.dueAt || (timer.dueAt === found.dueAt && timer.order < found.order)) {
        found = timer;
      }
    }
    return found;
  };
  return {
    now: () => now,
    setTimeout(run, delayMs) {
      const timer: FakeTimer = { dueAt: now + Math.max(0, delayMs), order: order++, run };
      timers.push(timer);
      return {
        cancel() {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
        },
      };
    },
    advance(ms) {
      const until = now + ms;
      for (let timer = next(); timer && timer.dueAt <= until; timer = next()) {
        timers.splice(timers.indexOf(timer), 1);
        now = Math.max(now, timer.dueAt);
        timer.run();
      }
      now = until;
    },
    pendingTimers: () => timers.length,
    nextTimerIn() {
      const timer = next();
      return timer && Math.max(0, timer.dueAt - now);
    },
  };
}
