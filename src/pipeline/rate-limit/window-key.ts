/**
 * One key's state in a `SlidingWindow` (window.ts): its slots in flight, when its settled slots
 * free, its line of waiting calls and its pause, with the two questions asked of it (is there
 * room, where does a new call join the line).
 */
import type { ClockTimer } from './clock.js';
import { goesBefore, type Lane } from './limit.js';
import type { Slot } from './window.js';

/** A call waiting for a slot. */
export interface Waiter {
  readonly lane: Lane;
  readonly grant: (slot: Slot) => void;
  readonly fail: (error: unknown) => void;
  deadline: ClockTimer | undefined;
}

/** What a window keeps per key. */
export interface KeyState {
  /** Slots granted whose call has not settled yet. */
  inFlight: number;
  /** When each settled call's slot frees, ascending from `head` (earlier entries are spent). */
  readonly frees: number[];
  head: number;
  readonly waiters: Waiter[];
  pausedUntil: number;
  /** Due when the first waiter may get a slot; set only while calls wait. */
  wake: ClockTimer | undefined;
}

/** A key's state before its first call. */
export function newState(): KeyState {
  return { inFlight: 0, frees: [], head: 0, waiters: [], pausedUntil: 0, wake: undefined };
}

/** Where a new call of `lane` joins the line: behind every call that goes before it. */
export function positionOf(state: KeyState, lane: Lane): number {
  let index = 0;
  while (index < state.waiters.length && goesBefore((state.waiters[index] as Waiter).lane, lane)) index += 1;
  return index;
}

/**
 * Whether a call may take a slot now under `limit` (the lane's share of the window): not paused,
 * fewer slots held. Drops the frees that are past as it looks.
 */
export function hasRoom(state: KeyState, now: number, limit: number): boolean {
  if (now < state.pausedUntil) return false;
  const { frees } = state;
  while (state.head < frees.length && (frees[state.head] as number) <= now) state.head += 1;
  if (state.head > 32 && state.head * 2 > frees.length) {
    frees.splice(0, state.head);
    state.head = 0;
  }
  return state.inFlight + frees.length - state.head < limit;
}
