import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RateLimiterError } from '../../src/errors.js';
import { createFakeClock } from '../../src/pipeline/rate-limit/clock.js';
import type { Limit, LimitSpec } from '../../src/pipeline/rate-limit/limit.js';
import { RedisConnection } from '../../src/pipeline/rate-limit/redis-connection.js';
import { createSharedLimit } from '../../src/pipeline/rate-limit/shared.js';
import { ownRedisForSuite } from '../support/own-redis-suite.js';
import { redisServerBinary } from './own-redis.js';

/*
 * Redis failing under a shared limit: flushed, frozen (no answers), killed and restarted. Each
 * test runs against a redis-server of its own, on the endpoint's window and on an Item's (both on
 * the library's Lua scripts). Waits are bounded by `timeoutMs` (real time: it is about
 * I/O); the windows run on a fake clock.
 */

const binary = redisServerBinary();
const timeoutMs = 300;
const endpoint = '/accounts/balance/get';

/** Resolves with 'pending' if `promise` has not settled within `ms` of real time: a bound, not a timing claim. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<'pending'>((resolve) => {
      timer = setTimeout(() => resolve('pending'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Calls until one succeeds, for at most `ms` of real time; returns what the last call gave. */
async function untilGranted(limit: Limit, ms: number): Promise<unknown> {
  const deadline = Date.now() + ms;
  for (;;) {
    const outcome = await limit.acquire({}).then(
      (permit) => {
        permit.release();
        return 'granted';
      },
      (error: unknown) => error,
    );
    if (outcome === 'granted' || Date.now() > deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!binary)('a shared limit while Redis fails', () => {
  const own = ownRedisForSuite(binary as string);
  const { opened } = own;

  /** A shared limit on the own server: `window: 'item'` puts the spec on an Item's window (calls name Item i1). */
  function setup(spec: LimitSpec = { limit: 1, intervalMs: 60_000 }, window: 'endpoint' | 'item' = 'endpoint') {
    const client = new Redis(own.server.url, { lazyConnect: true });
    const connection = new RedisConnection(client, timeoutMs);
    const clock = createFakeClock();
    const shared = createSharedLimit({
      connection,
      keyPrefix: `faults:${opened.length}:${Math.random()}`,
      endpoint,
      ...(window === 'endpoint' ? { perEndpoint: spec } : { perItem: spec }),
      maxQueued: 100,
      clock,
      fakeTime: true,
    });
    if (!shared) throw new Error('a limit needs a window');
    const itemId = window === 'item' ? 'i1' : undefined;
    const limit: Limit = {
      acquire: (request) => shared.acquire({ itemId, ...request }),
      pause: (request) => shared.pause(request),
      close: () => shared.close(),
    };
    const admin = new Redis(own.server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    admin.on('error', () => {});
    const closeAll = async () => {
      await connection.close();
    };
    opened.push(async () => {
      await limit.close();
      await closeAll();
      admin.disconnect();
    });
    /** Until nothing of the limit is on its way to Redis. */
    const quiet = async () => {
      for (let i = 0; i < 200 && connection.inFlight > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    return { limit, clock, admin, connection, closeAll, quiet };
  }

  describe.each(['endpoint', 'item'] as const)('on the %s window', (window) => {
    it('recreates lost keys (FLUSHALL, SCRIPT FLUSH) without a raw ReplyError', async () => {
      const { limit, admin } = setup(undefined, window);
      const first = await limit.acquire({});
      first.release();
      await admin.flushall();
      await admin.script('FLUSH');
      // the window's key is gone, so is its slot: the next call gets one, and the key is back
      const second = await limit.acquire({});
      const third = limit.acquire({}).then(
        () => 'granted',
        (error: unknown) => error,
      );
      expect(await within(third, 1_000)).toBe('pending'); // the recreated window holds again
      second.cancel();
      expect(await within(third, 2_000)).toBe('granted');
    });

    it('fails waiting and new calls with RATE_LIMIT_REDIS_UNAVAILABLE when Redis stops answering, and never hangs', async () => {
      const { limit, clock, connection, quiet, closeAll } = setup({ limit: 1, intervalMs: 1_000 }, window);
      await connection.roundTrip();
      const held = await limit.acquire({});
      held.release();
      const waiting = limit.acquire({}).catch((error: unknown) => error);
      // it asked, and was told to wait: a timer is set for its next turn
      await quiet();
      expect(clock.pendingTimers()).toBeGreaterThan(0);
      own.server.freeze();
      clock.advance(1_000); // its turn: it asks Redis again, which does not answer
      const error = await within(waiting, timeoutMs + 3_000);
      expect(error).toBeInstanceOf(RateLimiterError);
      expect(error).toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true });
      const fresh = await within(
        limit.acquire({}).catch((e: unknown) => e),
        timeoutMs + 3_000,
      );
      expect(fresh).toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE' });
      expect(String((fresh as Error).message)).toContain('timeoutMs');
      // close() returns within a bound with Redis frozen
      expect(await within(limit.close(), timeoutMs + 3_000)).toBeUndefined();
      expect(await within(closeAll(), timeoutMs + 3_000)).toBeUndefined();
    });

    it('succeeds again once a killed Redis is back, on the same limit', async () => {
      const { limit, connection } = setup({ limit: 100, intervalMs: 1_000 }, window);
      await connection.roundTrip();
      (await limit.acquire({})).release();
      await own.server.kill();
      const down = await within(
        limit.acquire({}).catch((e: unknown) => e),
        timeoutMs + 3_000,
      );
      expect(down).toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true });
      await own.server.restart();
      // ioredis reconnects at least once a second: calls succeed again within a few seconds
      expect(await untilGranted(limit, 8_000)).toBe('granted');
    });

    it('closes within a bound while Redis is down', async () => {
      const { limit, connection, closeAll } = setup(undefined, window);
      await connection.roundTrip();
      await own.server.kill();
      try {
        const pending = limit.acquire({}).catch((e: unknown) => e);
        expect(await within(limit.close(), timeoutMs + 3_000)).toBeUndefined();
        expect(await within(closeAll(), timeoutMs + 3_000)).toBeUndefined();
        expect(await pending).toBeInstanceOf(RateLimiterError);
      } finally {
        await own.server.restart();
      }
    });
  });
});
