/**
 * A line of calls waiting in this process for a window shared through Redis (shared.ts): one per
 * Item and one for the endpoint. What a line and its calls hold, and what is read from it: where a
 * call stands, how long it may expect to wait, what Redis's last refusal taught it.
 */
import type { ClockTimer } from './clock.js';
import { type AcquireRequest, goesBefore, type Lane, type LimitSpec, type Permit } from './limit.js';
import { ESTIMATED_POSITIONS } from './redis-scripts.js';
import type { TakeAnswer } from './redis-windows.js';

/** A call waiting in a line. */
export interface Waiter {
  readonly itemId: string | undefined;
  readonly lane: Lane;
  readonly joinedAt: number;
  readonly request: AcquireRequest;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  asking: boolean;
  waitedForItem: boolean;
  deadline: ClockTimer | undefined;
  line: Line;
}

/** The calls waiting for one window (the endpoint's, or one Item's), in order. */
export interface Line {
  readonly key: string;
  readonly label: string;
  readonly waiters: Waiter[];
  asking: number;
  timer: ClockTimer | undefined;
  timerAt: number;
  /** When the 1st, 2nd… call of the line may expect a slot (this clock), from Redis's last refusal. */
  estimates: number[];
  /** A lower bound for the calls beyond the estimates. */
  beyond: number;
}

/** The key of the line of one Item (`perItemLine`) or of the endpoint (`'all'`). */
export function lineKey(perItemLine: boolean, itemId: string | undefined): string {
  return perItemLine ? `item:${itemId}` : 'all';
}

/** An empty line. */
export function newLine(key: string, label: string): Line {
  return { key, label, waiters: [], asking: 0, timer: undefined, timerAt: 0, estimates: [], beyond: 0 };
}

/** Where a call of `lane` (that came at `joinedAt`) stands: behind every call that goes before it. */
export function positionIn(line: Line, lane: Lane, joinedAt = Number.POSITIVE_INFINITY): number {
  let index = 0;
  for (const waiter of line.waiters) {
    if (!goesBefore(waiter.lane, lane) || (waiter.lane === lane && waiter.joinedAt > joinedAt)) break;
    index += 1;
  }
  return index;
}

/** How long the call at `position` of the line may expect to wait from `now`, at least. */
export function expectedWait(line: Line, position: number, now: number): number {
  return Math.max(0, (line.estimates[position] ?? line.beyond) - now);
}

/** Keeps Redis's estimates from its refusal `answer`, for the line's calls, as times of this clock. */
export function learn(
  line: Line,
  answer: Extract<TakeAnswer, { granted: false }>,
  spec: LimitSpec | undefined,
  now: number,
): void {
  line.estimates = answer.estimates.map((ms) => now + ms);
  const last = line.estimates[line.estimates.length - 1] ?? now + answer.waitMs;
  // a slot nobody holds yet frees no sooner than a window after it is taken
  line.beyond = answer.estimates.length < ESTIMATED_POSITIONS && spec ? Math.max(last, now + spec.intervalMs) : last;
}

/** Takes `waiter` out of its line; false when it was no longer there. */
export function remove(waiter: Waiter): boolean {
  const index = waiter.line.waiters.indexOf(waiter);
  if (index < 0) return false;
  waiter.line.waiters.splice(index, 1);
  return true;
}
