import { afterEach, describe, expect, it, vi } from 'vitest';
import { SingleFlight } from '../../src/facade/internal/single-flight.js';

/** A call whose outcome the test decides, recording the signal it was given. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const signals: AbortSignal[] = [];
  const start = vi.fn((signal: AbortSignal) => {
    signals.push(signal);
    return promise;
  });
  return { resolve, reject, start, signals };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SingleFlight', () => {
  it('runs one call for concurrent callers of the same key and gives each its outcome', async () => {
    const flights = new SingleFlight<string>();
    const call = deferred<string>();
    const a = flights.run('k', call.start);
    const b = flights.run('k', call.start);
    call.resolve('balances');
    await expect(Promise.all([a, b])).resolves.toEqual(['balances', 'balances']);
    expect(call.start).toHaveBeenCalledTimes(1);
  });

  it('runs separate calls for different keys', async () => {
    const flights = new SingleFlight<string>();
    const one = deferred<string>();
    const two = deferred<string>();
    const a = flights.run('k1', one.start);
    const b = flights.run('k2', two.start);
    one.resolve('1');
    two.resolve('2');
    await expect(Promise.all([a, b])).resolves.toEqual(['1', '2']);
  });

  it('keeps nothing once a call settles: a failure is not handed to a later caller', async () => {
    const flights = new SingleFlight<string>();
    const failing = deferred<string>();
    const first = flights.run('k', failing.start);
    failing.reject(new Error('INSTITUTION_DOWN'));
    await expect(first).rejects.toThrow('INSTITUTION_DOWN');
    expect(flights.size).toBe(0);
    const next = deferred<string>();
    const second = flights.run('k', next.start);
    next.resolve('fresh');
    await expect(second).resolves.toBe('fresh');
    expect(next.start).toHaveBeenCalledTimes(1);
  });

  it("ends only the aborting caller's wait; the shared call goes on for the others", async () => {
    const flights = new SingleFlight<string>();
    const call = deferred<string>();
    const controller = new AbortController();
    const a = flights.run('k', call.start, { signal: controller.signal });
    const b = flights.run('k', call.start);
    await Promise.resolve();
    controller.abort(new Error('user left'));
    await expect(a).rejects.toThrow('user left');
    expect(call.signals[0]?.aborted).toBe(false);
    call.resolve('balances');
    await expect(b).resolves.toBe('balances');
  });

  it('aborts the shared call once every caller has stopped waiting', async () => {
    const flights = new SingleFlight<string>();
    const call = deferred<string>();
    const one = new AbortController();
    const two = new AbortController();
    const a = flights.run('k', call.start, { signal: one.signal });
    const b = flights.run('k', call.start, { signal: two.signal });
    await Promise.resolve();
    one.abort(new Error('gone'));
    await expect(a).rejects.toThrow('gone');
    expect(call.signals[0]?.aborted).toBe(false);
    two.abort(new Error('gone too'));
    await expect(b).rejects.toThrow('gone too');
    expect(call.signals[0]?.aborted).toBe(true);
    // A caller after that starts a fresh call rather than join the aborted one.
    const next = deferred<string>();
    const c = flights.run('k', next.start);
    next.resolve('fresh');
    await expect(c).resolves.toBe('fresh');
  });

  it('bounds the wait of a caller that joins by its own timeout, not the call nor the others', async () => {
    vi.useFakeTimers();
    const flights = new SingleFlight<string>();
    const call = deferred<string>();
    const starter = flights.run('k', call.start, { joinTimeoutMs: 1000 });
    const joiner = flights.run('k', call.start, {
      joinTimeoutMs: 1000,
      timeoutError: (ms) => new Error(`waited ${ms} ms`),
    });
    const joinerOutcome = joiner.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await joinerOutcome).toEqual(new Error('waited 1000 ms'));
    expect(call.signals[0]?.aborted).toBe(false);
    call.resolve('late');
    // The caller that started the call is not bounded by joinTimeoutMs (its timeout is inside the call).
    await expect(starter).resolves.toBe('late');
  });

  it('rejects at once, starting nothing, for a caller whose signal is already aborted', async () => {
    const flights = new SingleFlight<string>();
    const call = deferred<string>();
    await expect(flights.run('k', call.start, { signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow('no');
    expect(call.start).not.toHaveBeenCalled();
  });
});
