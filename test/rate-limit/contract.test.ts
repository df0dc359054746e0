import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiterError } from '../../src/errors.js';
import type { Lane, Limit, Permit, WaitReport } from '../../src/pipeline/rate-limit/limit.js';
import { redisClusterNodes, serviceUrl } from '../support/services.js';
import { type Harness, localHarness, redisHarness, redisItemHarness } from './harness.js';

/*
 * The contract of `Limit`, run against every implementation on a fake clock: time moves only when
 * a test moves it, so a busy machine changes nothing.
 */

const url = serviceUrl('redis', 'Limit contract over Redis');
const cluster = redisClusterNodes('Limit contract over Redis Cluster');
const implementations: Array<[string, () => Harness]> = [['in process', localHarness]];
if (url) {
  implementations.push(
    ['shared through Redis', () => redisHarness(url)],
    ['shared through Redis, on an Item window alone', () => redisItemHarness(url)],
  );
}
if (cluster) {
  implementations.push(
    ['shared through a Redis Cluster', () => redisHarness(cluster)],
    ['shared through a Redis Cluster, on an Item window alone', () => redisItemHarness(cluster)],
  );
}

/** The most intervals [from, to) that overlap at any one point. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const edges = intervals.flatMap(
    ([from, to]): Array<[number, number]> => [
      [from, 1],
      [to, -1],
    ],
  );
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same time
  let open = 0;
  let most = 0;
  for (const [, step] of edges) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

describe.each(implementations)('Limit contract: %s', (_name, create) => {
  let h: Harness;
  beforeEach(() => {
    h = create();
  });
  afterEach(async () => {
    await h.dispose();
  });

  /** Starts a call and records when its permit came (in fake time), or how it failed. */
  function call(limit: Limit, itemId?: string, signal?: AbortSignal, reports?: WaitReport[], lane?: Lane) {
    const record: { grantedAt?: number; permit?: Permit; error?: unknown } = {};
    const done = limit
      .acquire({ itemId, signal, lane, onWaited: (report) => reports?.push(report) })
      .then((permit) => {
        record.grantedAt = h.clock.now();
        record.permit = permit;
      })
      .catch((error: unknown) => {
        record.error = error;
      });
    return Object.assign(record, { done });
  }

  it('lets `limit` calls through at once, with no timer, and the next when a window has passed since one settled', async () => {
    const limit = h.limit({ perEndpoint: { limit: 3, intervalMs: 60_000 } });
    const start = h.clock.now();
    const calls = Array.from({ length: 5 }, () => call(limit));
    await h.settle();
    expect(calls.map((c) => c.grantedAt)).toEqual([start, start, start, undefined, undefined]);
    // the two waiting calls need a timer; none was set for the three that found room before them
    h.clock.advance(1_000);
    calls[0]?.permit?.release(); // the first answer came back 1 s after it was sent
    await h.advance(60_000 - 1);
    expect(calls[3]?.grantedAt).toBeUndefined(); // a window after the answer, not after the grant
    await h.advance(1);
    expect(calls[3]?.grantedAt).toBe(start + 61_000);
    expect(calls[4]?.grantedAt).toBeUndefined(); // its slot is still in flight
  });

  it('never has more than `limit` calls between grant and a window after their answer, whatever the latency', async () => {
    const spec = { limit: 4, intervalMs: 1_000 };
    const limit = h.limit({ perEndpoint: spec });
    let seed = 7;
    const latency = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % 300; // 0–299 ms between grant and answer
    };
    const start = h.clock.now();
    const calls = Array.from({ length: 24 }, () =>
      Object.assign(call(limit), { answerAt: undefined as number | undefined }),
    );
    const held: Array<[number, number]> = [];
    for (let step = 0; step < 1_000 && held.length < calls.length; step += 1) {
      await h.settle();
      for (const c of calls) {
        if (c.grantedAt === undefined || c.answerAt === Number.POSITIVE_INFINITY) continue;
        c.answerAt ??= c.grantedAt + latency();
        if (c.answerAt > h.clock.now()) continue;
        c.answerAt = Number.POSITIVE_INFINITY;
        c.permit?.release();
        held.push([c.grantedAt, h.clock.now() + spec.intervalMs]);
      }
      await h.advance(10);
    }
    expect(held).toHaveLength(24);
    expect(maxOverlap(held)).toBeLessThanOrEqual(spec.limit);
    // and no slower than needed: 6 rounds of 4, each round a window plus at most 300 ms of latency
    // (and 10 ms of this loop's step) after the round before
    const last = Math.max(...calls.map((c) => c.grantedAt as number));
    expect(last - start).toBeLessThanOrEqual(5 * (spec.intervalMs + 310));
  });

  it('grants waiting calls in the order they came', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 100 } });
    const order: number[] = [];
    const permits = Array.from({ length: 4 }, (_, i) =>
      limit.acquire({}).then((permit) => {
        order.push(i);
        permit.release();
      }),
    );
    await h.advance(1_000);
    await Promise.all(permits);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('frees a cancelled slot at once', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 60_000 } });
    const first = call(limit);
    const second = call(limit);
    await h.settle();
    expect(second.grantedAt).toBeUndefined();
    first.permit?.cancel();
    await h.settle();
    expect(second.grantedAt).toBe(h.clock.now());
  });

  it('counts only calls that must wait against maxQueued', async () => {
    const limit = h.limit({ perEndpoint: { limit: 5, intervalMs: 60_000 }, maxQueued: 3 });
    const calls = Array.from({ length: 10 }, () => call(limit));
    await h.settle();
    await Promise.all(calls.slice(8).map((c) => c.done));
    expect(calls.filter((c) => c.grantedAt !== undefined)).toHaveLength(5);
    const refused = calls.filter((c) => c.error !== undefined);
    expect(refused).toHaveLength(2);
    for (const c of refused) {
      expect(c.error).toBeInstanceOf(RateLimiterError);
      expect(c.error).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL', retryable: false });
      expect(String((c.error as Error).message)).toContain('maxQueued');
    }
  });

  it('never waits with maxQueued: 0, and lets through every call that finds room', async () => {
    const limit = h.limit({ perEndpoint: { limit: 3, intervalMs: 60_000 }, maxQueued: 0 });
    const calls = Array.from({ length: 4 }, () => call(limit));
    await h.settle();
    await Promise.all(calls.map((c) => c.done));
    expect(calls.slice(0, 3).every((c) => c.grantedAt !== undefined)).toBe(true);
    expect(calls[3]?.error).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL' });
    expect(String((calls[3]?.error as Error | undefined)?.message)).toContain('never wait');
  });

  it('takes an aborted call out of the line at once, reports its wait, and gives its turn to the next', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 1_000 }, maxQueued: 1 });
    const reports: WaitReport[] = [];
    const first = call(limit);
    await h.settle();
    const controller = new AbortController();
    const aborted = call(limit, undefined, controller.signal, reports);
    await h.settle();
    await h.advance(250);
    const reason = new Error('user went away');
    controller.abort(reason);
    await aborted.done;
    expect(aborted.error).toBe(reason);
    expect(reports).toEqual([{ perItem: false, waitedMs: 250 }]);
    // its place is free: another call may wait (maxQueued: 1), and gets the slot in turn
    const next = call(limit);
    await h.settle();
    expect(next.error).toBeUndefined();
    first.permit?.release();
    await h.advance(1_000);
    expect(next.grantedAt).toBeDefined();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 1_000 } });
    const reason = new Error('already gone');
    await expect(limit.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it("keeps each Item's window apart, and the endpoint's across Items", async () => {
    const limit = h.limit({
      perEndpoint: { limit: 3, intervalMs: 60_000 },
      perItem: { limit: 1, intervalMs: 60_000 },
    });
    const reports: WaitReport[] = [];
    const a1 = call(limit, 'a');
    const a2 = call(limit, 'a', undefined, reports);
    await h.settle();
    const b = call(limit, 'b');
    const c = call(limit, 'c');
    const d = call(limit, 'd');
    await h.settle();
    // a2 waits for Item a and holds none of the endpoint's slots: b and c get them, d waits
    expect([a1, a2, b, c, d].map((x) => x.grantedAt !== undefined)).toEqual([true, false, true, true, false]);
    for (const x of [a1, b, c]) x.permit?.release();
    await h.advance(60_000);
    expect(a2.grantedAt).toBeDefined();
    expect(d.grantedAt).toBeDefined(); // the endpoint's slots came back too
    expect(reports).toEqual([{ perItem: true, waitedMs: 60_000 }]);
  });

  it('lets calls held up by the endpoint start in the order they came, whatever their Item', async () => {
    const limit = h.limit({
      perEndpoint: { limit: 2, intervalMs: 1_000 },
      perItem: { limit: 10, intervalMs: 1_000 },
    });
    const order: string[] = [];
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((itemId) =>
      limit.acquire({ itemId }).then((permit) => {
        order.push(itemId);
        permit.release();
      }),
    );
    await h.advance(5_000);
    await Promise.all(calls);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it("gives its Item's slot back when a call is aborted while it waits for the endpoint's", async () => {
    const limit = h.limit({
      perEndpoint: { limit: 1, intervalMs: 200 },
      perItem: { limit: 1, intervalMs: 60_000 },
    });
    const x = call(limit, 'x');
    await h.settle();
    const controller = new AbortController();
    const aborted = call(limit, 'a', controller.signal);
    await h.settle();
    controller.abort(new Error('gone'));
    await aborted.done;
    x.permit?.release();
    const next = call(limit, 'a');
    await h.advance(200);
    expect(next.grantedAt).toBeDefined(); // not a minute later
  });

  it('pauses one Item, or the whole endpoint, for one call’s share of the window after a 429', async () => {
    const limit = h.limit({
      perEndpoint: { limit: 4, intervalMs: 400 },
      perItem: { limit: 2, intervalMs: 400 },
    });
    limit.pause({ itemId: 'a' }); // 400 / 2 = 200 ms
    await h.settle();
    const a = call(limit, 'a');
    const b = call(limit, 'b');
    await h.settle();
    expect(b.grantedAt).toBeDefined();
    expect(a.grantedAt).toBeUndefined();
    await h.advance(199);
    expect(a.grantedAt).toBeUndefined();
    await h.advance(1);
    expect(a.grantedAt).toBeDefined();

    limit.pause({}); // the endpoint: 400 / 4 = 100 ms, for every Item
    await h.settle();
    const c = call(limit, 'c');
    await h.settle();
    expect(c.grantedAt).toBeUndefined();
    await h.advance(100);
    expect(c.grantedAt).toBeDefined();
  });

  it('rejects waiting and new calls with RATE_LIMITER_CLOSED after close()', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 60_000 } });
    call(limit);
    const waiting = call(limit);
    await h.settle();
    await limit.close();
    await waiting.done;
    expect(waiting.error).toBeInstanceOf(RateLimiterError);
    expect(waiting.error).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
    await expect(limit.acquire({})).rejects.toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
  });

  it('refuses at once, with retryAfterMs, a call whose wait would pass maxWaitMs, and takes nothing for it', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 60_000 }, maxWaitMs: 5_000 });
    const first = call(limit);
    await h.settle();
    first.permit?.release();
    const second = call(limit);
    await h.settle();
    await second.done;
    expect(second.error).toBeInstanceOf(RateLimiterError);
    expect(second.error).toMatchObject({ code: 'RATE_LIMIT_WAIT_EXCEEDED', retryable: true, retryAfterMs: 60_000 });
    expect(String((second.error as Error).message)).toContain('maxWaitMs');
    await h.advance(60_000);
    const third = call(limit);
    await h.settle();
    expect(third.grantedAt).toBe(h.clock.now()); // the refused call held nothing
  });

  it('lets a call wait within maxWaitMs, and ends its wait at the bound when no slot comes', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 1_000 }, maxWaitMs: 5_000 });
    const held = call(limit);
    await h.settle();
    const start = h.clock.now();
    const waiting = call(limit);
    const reports: WaitReport[] = [];
    const bounded = call(limit, undefined, undefined, reports);
    await h.settle();
    expect(waiting.error).toBeUndefined(); // a slot in flight frees no sooner than a window: 1 s, within 5 s
    await h.advance(500);
    held.permit?.release();
    await h.advance(1_000);
    expect(waiting.grantedAt).toBe(start + 1_500);
    // the next one's slot stays in flight: it gives up at the bound, not later
    await h.advance(3_499);
    expect(bounded.error).toBeUndefined();
    await h.advance(1);
    await bounded.done;
    expect(bounded.error).toMatchObject({ code: 'RATE_LIMIT_WAIT_EXCEEDED', retryable: true });
    expect(reports).toEqual([{ perItem: false, waitedMs: 5_000 }]);
  });

  it('keeps background calls to their share of a window; interactive calls may use all of it', async () => {
    const limit = h.limit({ perEndpoint: { limit: 4, intervalMs: 60_000 }, backgroundShare: 0.5 });
    const background = [1, 2, 3].map(() => call(limit, undefined, undefined, undefined, 'background'));
    await h.settle();
    const interactive = [1, 2, 3].map(() => call(limit));
    await h.settle();
    expect(background.map((c) => c.grantedAt !== undefined)).toEqual([true, true, false]);
    expect(interactive.map((c) => c.grantedAt !== undefined)).toEqual([true, true, false]);
    // a whole window later every slot frees: the interactive call first, then the background one in its share
    for (const c of [...background, ...interactive]) c.permit?.release();
    await h.advance(60_000);
    expect(interactive[2]?.grantedAt).toBeDefined();
    expect(background[2]?.grantedAt).toBeDefined();
  });

  it('lets interactive calls go before background calls that wait', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 1_000 }, backgroundShare: 1 });
    const order: string[] = [];
    const take = (name: string, lane: Lane) =>
      limit.acquire({ lane }).then((permit) => {
        order.push(name);
        permit.release();
      });
    const holder = await limit.acquire({});
    const calls = [take('b1', 'background'), take('b2', 'background')];
    await h.settle();
    calls.push(take('i1', 'interactive'));
    await h.settle();
    holder.release();
    await h.advance(5_000);
    await Promise.all(calls);
    expect(order).toEqual(['i1', 'b1', 'b2']);
  });

  it('counts maxQueued per lane', async () => {
    const limit = h.limit({ perEndpoint: { limit: 1, intervalMs: 60_000 }, maxQueued: 1, backgroundShare: 1 });
    call(limit);
    await h.settle();
    const i1 = call(limit);
    await h.settle();
    const b1 = call(limit, undefined, undefined, undefined, 'background');
    await h.settle();
    const i2 = call(limit);
    const b2 = call(limit, undefined, undefined, undefined, 'background');
    await h.settle();
    await Promise.all([i2.done, b2.done]);
    expect(i1.error).toBeUndefined();
    expect(b1.error).toBeUndefined();
    expect(i2.error).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL' });
    expect(b2.error).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL' });
  });
});
