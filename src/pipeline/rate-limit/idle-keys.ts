/**
 * The keys of a `SlidingWindow` (window.ts) that went idle, dropped once their window has passed,
 * so 100,000 Items called once leave nothing behind one window later. One timer per window, due
 * for the key that went idle first.
 */
import type { Clock, ClockTimer } from './clock.js';

/** Idle keys in the order they became idle, each dropped `intervalMs` later unless busy again. */
export class IdleKeys {
  /**
   * Keys that may be dropped at the given time, in the order they became idle. All are due one
   * window after that moment, so the order is also the order of due times.
   */
  readonly #retiring = new Map<string, number>();
  #sweeper: ClockTimer | undefined;

  /** `drop` is called for each key whose window passed; it drops the key only if it is still idle. */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly drop: (key: string) => void,
  ) {}

  /** `key` has nothing in flight and nobody waiting now. */
  add(key: string): void {
    this.#retiring.delete(key);
    this.#retiring.set(key, this.clock.now() + this.intervalMs);
    this.#scheduleSweep();
  }

  /** Forgets every key and stops the timer (the window closed). */
  clear(): void {
    this.#sweeper?.cancel();
    this.#sweeper = undefined;
    this.#retiring.clear();
  }

  #scheduleSweep(): void {
    if (this.#sweeper) return;
    const first = this.#retiring.values().next();
    if (first.done) return;
    this.#sweeper = this.clock.setTimeout(() => {
      this.#sweeper = undefined;
      this.#sweep();
    }, first.value - this.clock.now());
  }

  #sweep(): void {
    const now = this.clock.now();
    for (const [key, dueAt] of this.#retiring) {
      if (dueAt > now) break;
      this.#retiring.delete(key);
      this.drop(key);
    }
    this.#scheduleSweep();
  }
}
