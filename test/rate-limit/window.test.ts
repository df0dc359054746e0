import { describe, expect, it } from 'vitest';
import { RateLimiterError } from '../../src/errors.js';
import { createFakeClock } from '../../src/pipeline/rate-limit/clock.js';
import { createLocalLimit } from '../../src/pipeline/rate-limit/local.js';
import { SlidingWindow } from '../../src/pipeline/rate-limit/window.js';

const closed = new RateLimiterError('closed', { code: 'RATE_LIMITER_CLOSED' });

function window(limit = 5, intervalMs = 60_000, maxQueued = 1_000) {
  const clock = createFakeClock();
  return { clock, window: new SlidingWindow({ spec: { limit, intervalMs }, maxQueued, clock, label: 'test' }) };
}

describe('the in-process sliding window', () => {
  it('sets no timer while there is room', () => {
    const { clock, window: w } = window(5);
    const slots = Array.from({ length: 5 }, () => w.tryAcquire('a'));
    expect(slots.every(Boolean)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    expect(w.tryAcquire('a')).toBeUndefined(); // full: the caller would wait
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps nothing for a key once its window has passed: 100,000 Items called once leave no state and no timer', () => {
    const { clock, window: w } = window(5, 60_000);
    for (let i = 0; i < 100_000; i += 1) {
      w.tryAcquire(`item-${i}`)?.release();
      if (i % 1_000 === 0) clock.advance(100); // the calls spread over 10 s
    }
    expect(w.size).toBe(100_000);
    expect(clock.pendingTimers()).toBe(1); // one sweeper for the whole window, none per Item
    clock.advance(60_000);
    expect(w.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps nothing after a pause, an abort or a cancel once the window has passed', async () => {
    const { clock, window: w } = window(1, 1_000);
    w.pause('paused');
    w.tryAcquire('cancelled')?.cancel();
    const held = w.tryAcquire('aborted');
    const controller = new AbortController();
    const waiting = w.acquire('aborted', { signal: controller.signal }).catch((error: unknown) => error);
    controller.abort(new Error('gone'));
    expect(await waiting).toEqual(new Error('gone'));
    held?.release();
    clock.advance(1_000);
    expect(w.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops every timer and refuses calls after close', async () => {
    const { clock, window: w } = window(1, 1_000);
    w.tryAcquire('a')?.release();
    const waiting = w.acquire('a').catch((error: unknown) => error);
    expect(clock.pendingTimers()).toBe(2); // the sweeper and the waiter's
    w.close(closed);
    expect(await waiting).toBe(closed);
    expect(clock.pendingTimers()).toBe(0);
    await expect(w.acquire('a')).rejects.toBe(closed);
  });
});

describe('the in-process limit', () => {
  it('grants a call that finds room synchronously (no event-loop turn)', async () => {
    const limit = createLocalLimit({
      endpoint: '/accounts/balance/get',
      perEndpoint: { limit: 2, intervalMs: 1_000 },
      perItem: { limit: 1, intervalMs: 1_000 },
      maxQueued: 10,
      clock: createFakeClock(),
    });
    let granted = false;
    const pending = limit.acquire({ itemId: 'a' }).then(() => {
      granted = true;
    });
    await Promise.resolve(); // one microtask, no macrotask
    expect(granted).toBe(true);
    await pending;
    await limit.close();
  });
});
