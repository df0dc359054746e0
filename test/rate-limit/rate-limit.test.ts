import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, PlaidFacadeError } from '../../src/errors.js';
import type { PlaidFacadeEvent, RateLimitedEvent } from '../../src/events.js';
import { type PlaidEnvironment, type RateLimitOptions, resolveRateLimitOptions } from '../../src/options.js';
import { createFakeClock, type FakeClock } from '../../src/pipeline/rate-limit/clock.js';
import { createRateLimiter, type RateLimiter } from '../../src/pipeline/rate-limit/rate-limiter.js';
import { hear429 } from '../support/hear-429.js';
import { maxInWindow } from '../support/max-in-window.js';

/*
 * The facade's rate limiter, in one process, on a fake clock: windows of a minute pass in no time,
 * and a busy machine cannot put more calls into a window than the limit allows.
 */

const balance = '/accounts/balance/get';

const limiters: RateLimiter[] = [];
const events: PlaidFacadeEvent[] = [];
let clock: FakeClock = createFakeClock();

function limiter(options: RateLimitOptions | false, environment: PlaidEnvironment = 'sandbox'): RateLimiter {
  // these cases are about the line: no bound on waiting unless a case sets one (maxWaitMs has its own)
  const unbounded = options === false ? options : { maxWaitMs: Number.POSITIVE_INFINITY, ...options };
  const created = createRateLimiter(
    resolveRateLimitOptions(unbounded, environment),
    environment,
    (event) => events.push(event),
    clock,
  );
  limiters.push(created);
  return created;
}

/** The limits in force for `options` in `environment`, as the facade resolves them. */
function limitsOf(options: RateLimitOptions, environment: PlaidEnvironment) {
  const resolved = resolveRateLimitOptions(options, environment);
  if (resolved === false) throw new Error('limits expected');
  return resolved.limits;
}

function rateLimitedEvents(): RateLimitedEvent[] {
  return events.filter((event): event is RateLimitedEvent => event.type === 'rate-limited');
}

/** Lets pending promise chains run; time does not move. */
const settle = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Moves fake time forward timer by timer (at most `ms`), letting what each timer started run. */
async function advance(ms: number): Promise<void> {
  let left = ms;
  await settle();
  for (let next = clock.nextTimerIn(); next !== undefined && next <= left; next = clock.nextTimerIn()) {
    clock.advance(next);
    left -= next;
    await settle();
  }
  clock.advance(left);
  await settle();
}

/** Schedules calls for Items through `rl`, recording which Item each started call was for. */
function itemCalls(rl: RateLimiter): {
  started: string[];
  run: (itemId: string, signal?: AbortSignal) => Promise<void>;
} {
  const started: string[] = [];
  const run = (itemId: string, signal?: AbortSignal) =>
    rl.schedule({ endpoint: balance, itemId, signal }, async () => {
      started.push(itemId);
    });
  return { started, run };
}

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((created) => created.close()));
  events.length = 0;
  clock = createFakeClock();
});

describe('rate limiter, one process', () => {
  it('never starts more than `limit` calls in any window, and lets the first `limit` through at once', async () => {
    const spec = { limit: 5, intervalMs: 150 };
    const rl = limiter({ endpoints: { [balance]: spec } });
    const starts: number[] = [];
    const calls = Array.from({ length: 23 }, (_, i) =>
      rl.schedule({ endpoint: balance }, async () => {
        starts.push(clock.now());
        return i;
      }),
    );
    await advance(1_000);
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(starts).toHaveLength(23);
    expect(maxInWindow(starts, spec.intervalMs)).toBeLessThanOrEqual(spec.limit);
    const queued = rateLimitedEvents().filter((event) => event.reason === 'queued');
    expect(queued).toHaveLength(23 - spec.limit); // the burst of 5 did not wait
    expect(queued.every((event) => event.perItem === false && (event.waitedMs ?? 0) > 0)).toBe(true);
  });

  it('keeps both limits for one Item: per Item and per endpoint', async () => {
    const item = { limit: 2, intervalMs: 120 };
    const endpoint = { limit: 3, intervalMs: 120 };
    const rl = limiter({ endpoints: { [balance]: endpoint }, perItem: { [balance]: item } });
    const starts: Record<string, number[]> = { a: [], b: [], all: [] };
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 8; i += 1) {
      for (const itemId of ['a', 'b']) {
        calls.push(
          rl.schedule({ endpoint: balance, itemId }, async () => {
            const now = clock.now();
            starts[itemId]?.push(now);
            starts.all?.push(now);
          }),
        );
      }
    }
    await advance(2_000);
    await Promise.all(calls);
    expect(starts.all).toHaveLength(16);
    expect(maxInWindow(starts.a ?? [], item.intervalMs)).toBeLessThanOrEqual(item.limit);
    expect(maxInWindow(starts.b ?? [], item.intervalMs)).toBeLessThanOrEqual(item.limit);
    expect(maxInWindow(starts.all ?? [], endpoint.intervalMs)).toBeLessThanOrEqual(endpoint.limit);
  });

  it('holds a slot until a window after the call settled (Plaid counts arrivals)', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 1, intervalMs: 1_000 } } });
    const starts: number[] = [];
    const slow = rl.schedule({ endpoint: balance }, async () => {
      starts.push(clock.now());
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 5_000)); // a 5 s balance call
    });
    const next = rl.schedule({ endpoint: balance }, async () => {
      starts.push(clock.now());
    });
    await advance(10_000);
    await Promise.all([slow, next]);
    expect(starts[1] as number).toBe((starts[0] as number) + 5_000 + 1_000);
  });

  it("does not let one Item's limit block another Item", async () => {
    const rl = limiter({ perItem: { [balance]: { limit: 1, intervalMs: 60_000 } } });
    const { started, run } = itemCalls(rl);
    await run('a');
    const secondA = run('a').catch((error: unknown) => error);
    await run('b'); // would wait a minute if Item a's limit applied to it
    await settle();
    expect(started).toEqual(['a', 'b']);
    await rl.close();
    expect(await secondA).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
  });

  it("does not hold one of the endpoint's slots while a call waits for its Item's", async () => {
    const rl = limiter({
      endpoints: { [balance]: { limit: 3, intervalMs: 60_000 } },
      perItem: { [balance]: { limit: 1, intervalMs: 60_000 } },
    });
    const { started, run } = itemCalls(rl);
    await run('a');
    const secondA = run('a').catch((error: unknown) => error);
    await settle();
    // the endpoint has two slots left: both go to other Items, none to the call waiting for Item a
    await run('b');
    await run('c');
    expect(started).toEqual(['a', 'b', 'c']);
    await rl.close();
    expect(await secondA).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
  });

  it('fails a call at once with RATE_LIMIT_QUEUE_FULL beyond maxQueued', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 1, intervalMs: 60_000 } }, maxQueued: 3 });
    let ran = 0;
    const task = async () => {
      ran += 1;
    };
    await rl.schedule({ endpoint: balance }, task);
    const waiting = [1, 2, 3].map(() => rl.schedule({ endpoint: balance }, task).catch((error: unknown) => error));
    const error = await rl.schedule({ endpoint: balance }, task).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlaidFacadeError);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_QUEUE_FULL', retryable: false });
    expect(String((error as Error).message)).toContain('maxQueued');
    expect(ran).toBe(1);
    await rl.close();
    for (const outcome of await Promise.all(waiting)) expect(outcome).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
    expect(ran).toBe(1);
  });

  it('counts only the calls that must wait against maxQueued: 10 calls, 5 free slots, maxQueued 3', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 5, intervalMs: 60_000 } }, maxQueued: 3 });
    let ran = 0;
    const outcomes = Array.from({ length: 10 }, () =>
      rl
        .schedule({ endpoint: balance }, async () => {
          ran += 1;
        })
        .then(
          () => 'ran',
          (error: { code?: string }) => error.code,
        ),
    );
    await settle();
    expect(ran).toBe(5);
    await rl.close();
    expect((await Promise.all(outcomes)).sort()).toEqual([
      ...Array(3).fill('RATE_LIMITER_CLOSED'),
      ...Array(2).fill('RATE_LIMIT_QUEUE_FULL'),
      ...Array(5).fill('ran'),
    ]);
  });

  it('with maxQueued: 0 never waits: calls that find room start, the others are refused at once', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 2, intervalMs: 60_000 } }, maxQueued: 0 });
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        rl.schedule({ endpoint: balance }, async () => 'ran').catch((error: { code?: string }) => error.code),
      ),
    );
    expect(outcomes).toEqual(['ran', 'ran', 'RATE_LIMIT_QUEUE_FULL']);
  });

  it('takes an aborted call out of the line at once, with the signal’s reason, frees its place, and reports its wait', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 1, intervalMs: 60_000 } }, maxQueued: 1 });
    let ran = 0;
    const task = async () => {
      ran += 1;
    };
    await rl.schedule({ endpoint: balance }, task);
    const controller = new AbortController();
    const queued = rl.schedule({ endpoint: balance, signal: controller.signal }, task);
    await advance(400);
    const reason = new Error('user went away');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    // it waited, so it says so, although it never ran
    expect(rateLimitedEvents()).toEqual([
      { type: 'rate-limited', endpoint: balance, reason: 'queued', perItem: false, waitedMs: 400 },
    ]);
    // its place in line is free again: another call may queue (it would be refused if not)
    const next = rl.schedule({ endpoint: balance }, task).catch((error: unknown) => error);
    await settle();
    await rl.close();
    expect(await next).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
    expect(ran).toBe(1);
  });

  it("gives its Item's slot back when a call is aborted while it waits for the endpoint's", async () => {
    const rl = limiter({
      endpoints: { [balance]: { limit: 1, intervalMs: 200 } },
      perItem: { [balance]: { limit: 1, intervalMs: 60_000 } },
    });
    const { started, run } = itemCalls(rl);
    await run('x'); // the endpoint's only slot, for 200 ms
    const controller = new AbortController();
    const aborted = run('a', controller.signal);
    await settle(); // Item a's slot is taken, the endpoint's is awaited
    const reason = new Error('user went away');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    // Item a's slot is free again: the next call for it starts once the endpoint allows (200 ms),
    // not a minute later
    const next = run('a');
    await advance(200);
    await next;
    expect(started).toEqual(['x', 'a']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const rl = limiter({});
    const reason = new Error('already gone');
    let ran = false;
    await expect(
      rl.schedule({ endpoint: balance, signal: AbortSignal.abort(reason) }, async () => {
        ran = true;
      }),
    ).rejects.toBe(reason);
    expect(ran).toBe(false);
  });

  it('passes every call straight through with rateLimit: false', async () => {
    const rl = limiter(false);
    let started = 0;
    const calls = Array.from({ length: 50 }, () =>
      rl.schedule({ endpoint: balance, itemId: 'a' }, async () => {
        started += 1;
      }),
    );
    expect(started).toBe(50); // synchronously: nothing waited
    await Promise.all(calls);
    await hear429(rl, { endpoint: balance, itemId: 'a' }, 'BALANCE_LIMIT');
    expect(events).toEqual([]);
  });

  it('defaults follow the environment (Plaid’s documented limits)', async () => {
    const production = limitsOf({}, 'production');
    const sandbox = limitsOf({}, 'sandbox');
    expect(production[balance]).toEqual({
      perEndpoint: { limit: 1_200, intervalMs: 60_000 },
      perItem: { limit: 5, intervalMs: 60_000 },
    });
    expect(sandbox[balance]).toEqual({
      perEndpoint: { limit: 100, intervalMs: 60_000 },
      perItem: { limit: 25, intervalMs: 60_000 },
    });
    expect(production['/item/remove']).toEqual({
      perEndpoint: { limit: 2_000, intervalMs: 60_000 },
      perItem: { limit: 30, intervalMs: 60_000 },
    });
    expect(production['/link/token/create']?.perEndpoint).toBeDefined();
    expect(production['/item/public_token/exchange']?.perEndpoint).toBeDefined();

    // and the limiter uses them: a 6th balance call for one Item waits in production, not in sandbox
    const counts: Record<PlaidEnvironment, number> = { production: 0, sandbox: 0 };
    for (const environment of ['production', 'sandbox'] as const) {
      const rl = limiter({}, environment);
      for (let i = 0; i < 6; i += 1) {
        void rl
          .schedule({ endpoint: balance, itemId: 'item-1' }, async () => {
            counts[environment] += 1;
          })
          .catch(() => undefined);
      }
    }
    await advance(59_000);
    expect(counts).toEqual({ production: 5, sandbox: 6 });
  });

  it('merges user limits over the defaults and rejects invalid ones', () => {
    const merged = limitsOf({ perItem: { [balance]: { limit: 2, intervalMs: 1_000 } } }, 'production');
    expect(merged[balance]).toEqual({
      perEndpoint: { limit: 1_200, intervalMs: 60_000 },
      perItem: { limit: 2, intervalMs: 1_000 },
    });
    expect(merged['/item/remove']?.perItem).toEqual({ limit: 30, intervalMs: 60_000 });
    expect(() => limiter({ endpoints: { [balance]: { limit: 0, intervalMs: 1 } } })).toThrow(InvalidArgumentError);
    expect(() => limiter({ maxQueued: -1 })).toThrow(InvalidArgumentError);
    expect(() => limiter({ redis: { client: {} as never } })).toThrow(/ioredis/);
  });

  it('bounds every Redis operation by redis.timeoutMs (default 1000; the old readyTimeoutMs is taken for it)', () => {
    const client = { duplicate: () => ({}), defineCommand: () => {} };
    const timeoutOf = (redis: NonNullable<RateLimitOptions['redis']>) => {
      const resolved = resolveRateLimitOptions({ redis }, 'sandbox');
      return resolved === false ? undefined : resolved.redis?.timeoutMs;
    };
    expect(timeoutOf({ client })).toBe(1_000);
    expect(timeoutOf({ client, timeoutMs: 250 })).toBe(250);
    expect(timeoutOf({ client, readyTimeoutMs: 300 })).toBe(300);
    expect(() => timeoutOf({ client, timeoutMs: 0 })).toThrow(InvalidArgumentError);
  });

  it('slows down after Plaid says 429: the Item for an Item code, the endpoint for the client-wide code', async () => {
    // A 429 pauses a window for one call's share of it: the endpoint's 4 per 400 ms for 100 ms,
    // an Item's 2 per 400 ms for 200 ms.
    const rl = limiter({
      endpoints: { [balance]: { limit: 4, intervalMs: 400 } },
      perItem: { [balance]: { limit: 2, intervalMs: 400 } },
    });
    await Promise.all([
      hear429(rl, { endpoint: balance, itemId: 'a' }, 'BALANCE_LIMIT'),
      hear429(rl, { endpoint: balance, itemId: 'b' }, 'ACCOUNTS_BALANCE_GET_LIMIT'),
    ]);
    const plaid = rateLimitedEvents().filter((event) => event.reason === 'plaid');
    expect(plaid.map((event) => event.perItem)).toEqual([true, false]);
    // Item a's window and the endpoint's are paused: calls wait for the pauses to end, then run
    const pausedAt = clock.now();
    const starts: Record<string, number> = {};
    const results = Promise.all(
      ['a', 'c'].map((itemId) =>
        rl.schedule({ endpoint: balance, itemId }, async () => {
          starts[itemId] = clock.now() - pausedAt;
          return `${itemId} ran`;
        }),
      ),
    );
    await advance(1_000);
    expect(await results).toEqual(['a ran', 'c ran']);
    expect(starts).toEqual({ a: 200, c: 100 });
    const queued = rateLimitedEvents().filter((event) => event.reason === 'queued');
    expect(new Set(queued.map((event) => event.perItem))).toEqual(new Set([true, false]));
  });

  it('pauses an Item only after a per-Item 429, for one call’s share of its window', async () => {
    const rl = limiter({ perItem: { [balance]: { limit: 4, intervalMs: 400 } } });
    await hear429(rl, { endpoint: balance, itemId: 'a' }, 'BALANCE_LIMIT');
    const started: string[] = [];
    const a = rl.schedule({ endpoint: balance, itemId: 'a' }, async () => {
      started.push('a');
    });
    await rl.schedule({ endpoint: balance, itemId: 'b' }, async () => {
      started.push('b');
    });
    expect(started).toEqual(['b']); // other Items are not paused
    await advance(99);
    expect(started).toEqual(['b']);
    await advance(1);
    await a;
    expect(started).toEqual(['b', 'a']);
    expect(rateLimitedEvents().map((event) => [event.reason, event.perItem])).toEqual([
      ['plaid', true],
      ['queued', true],
    ]);
  });

  it('rejects waiting calls and new calls after close()', async () => {
    const rl = limiter({ endpoints: { [balance]: { limit: 1, intervalMs: 60_000 } } });
    await rl.schedule({ endpoint: balance }, async () => undefined);
    const waiting = rl.schedule({ endpoint: balance }, async () => undefined).catch((error: unknown) => error);
    await rl.close();
    expect(await waiting).toMatchObject({ code: 'RATE_LIMITER_CLOSED' });
    await expect(rl.schedule({ endpoint: balance }, async () => undefined)).rejects.toMatchObject({
      code: 'RATE_LIMITER_CLOSED',
    });
  });
});

describe('after Plaid says 429', () => {
  it('pauses for one call’s share of the window, not the whole window', async () => {
    // 600 a minute: a 429 pauses for 100 ms, not 60 s.
    const rl = limiter({ perItem: { [balance]: { limit: 600, intervalMs: 60_000 } } });
    await hear429(rl, { endpoint: balance, itemId: 'a' }, 'BALANCE_LIMIT');
    const next = rl.schedule({ endpoint: balance, itemId: 'a' }, async () => clock.now());
    const pausedAt = clock.now();
    await advance(100);
    expect((await next) - pausedAt).toBe(100);
  });
});

describe('bounded waits and lanes (defaults)', () => {
  /** A limiter with the facade's defaults for waiting and lanes (the helper above lifts the bound). */
  function withDefaults(options: RateLimitOptions): RateLimiter {
    const created = createRateLimiter(resolveRateLimitOptions(options, 'sandbox'), 'sandbox', () => {}, clock);
    limiters.push(created);
    return created;
  }

  it('refuses an interactive call at once beyond maxWaitMs (default 5 s), with retryAfterMs, and sends nothing', async () => {
    const rl = withDefaults({ perItem: { [balance]: { limit: 1, intervalMs: 60_000 } } });
    await rl.schedule({ endpoint: balance, itemId: 'a' }, async () => undefined);
    let ran = false;
    const error = await rl
      .schedule({ endpoint: balance, itemId: 'a' }, async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_WAIT_EXCEEDED', retryable: true, retryAfterMs: 60_000 });
    expect(error).toBeInstanceOf(PlaidFacadeError);
  });

  it('lets a background call wait as long as it takes, within its share (default half a window)', async () => {
    const rl = withDefaults({ perItem: { [balance]: { limit: 2, intervalMs: 60_000 } } });
    const starts: number[] = [];
    const run = () =>
      rl.schedule({ endpoint: balance, itemId: 'a', lane: 'background' }, async () => starts.push(clock.now()));
    const calls = [run(), run()];
    await settle();
    expect(starts).toHaveLength(1); // half of 2
    await advance(60_000);
    await Promise.all(calls);
    expect(starts).toHaveLength(2);
  });

  it('checks maxWaitMs, lanes and the Redis prefix (no hash-tag braces)', () => {
    const client = { duplicate: () => ({}), defineCommand: () => {} };
    expect(() => withDefaults({ maxWaitMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => withDefaults({ lanes: { background: { maxShare: 0 } } })).toThrow(InvalidArgumentError);
    expect(() => withDefaults({ lanes: { background: { maxShare: 1.5 } } })).toThrow(InvalidArgumentError);
    expect(() => withDefaults({ redis: { client, prefix: 'app{1}' } })).toThrow(/must not contain \{ or \}/);
    const resolved = resolveRateLimitOptions({ maxWaitMs: Number.POSITIVE_INFINITY }, 'sandbox');
    expect(resolved === false ? 'off' : resolved.maxWaitMs).toBeUndefined();
    const defaults = resolveRateLimitOptions({}, 'sandbox');
    expect(defaults === false ? 'off' : [defaults.maxWaitMs, defaults.backgroundShare]).toEqual([5_000, 0.5]);
  });
});
