import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/pipeline/rate-limit/clock.js';
import type { Limit, LimitSpec } from '../../src/pipeline/rate-limit/limit.js';
import { RedisConnection } from '../../src/pipeline/rate-limit/redis-connection.js';
import { MAX_PENDING_SETTLES, SettleBacklog } from '../../src/pipeline/rate-limit/settle-backlog.js';
import { createSharedLimit } from '../../src/pipeline/rate-limit/shared.js';
import { ownRedisForSuite } from '../support/own-redis-suite.js';
import { redisServerBinary } from './own-redis.js';
import { TcpProxy } from './tcp-proxy.js';

/*
 * The one engine's cost and its recovery, against a redis-server of this file's own: round trips
 * per call, settles Redis missed sent again once it answers, short leases for a process that died,
 * and the first call after an outage. The windows run on a fake clock; waits for I/O are bounded
 * in real time.
 */

const binary = redisServerBinary();
const timeoutMs = 300;
const endpoint = '/accounts/balance/get';

/** Until `check` holds, for at most `ms` of real time; returns whether it did. */
async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SettleBacklog', () => {
  it('keeps what Redis did not acknowledge, once per slot, at most MAX_PENDING_SETTLES, and sends it again', async () => {
    let up = false;
    const sent: string[] = [];
    const backlog = new SettleBacklog(async (settle) => {
      if (!up) throw new Error('away');
      sent.push(String(settle.keys[0]));
    });
    expect(await backlog.settle('a', { keys: ['a'], args: () => [] })).toBe(false);
    expect(await backlog.settle('a', { keys: ['a'], args: () => [] })).toBe(false); // the same slot: kept once
    for (let i = 0; i < MAX_PENDING_SETTLES + 5; i += 1) await backlog.settle(`x${i}`, { keys: ['x'], args: () => [] });
    expect(backlog.size).toBe(MAX_PENDING_SETTLES);
    up = true;
    await backlog.flush();
    expect(backlog.size).toBe(0);
    expect(sent).not.toContain('a'); // the oldest were dropped to keep the bound
    backlog.close();
  });
});

describe.skipIf(!binary)('the shared engine against a Redis of its own', () => {
  const own = ownRedisForSuite(binary as string);
  const { opened } = own;

  function setup(
    perEndpoint: LimitSpec,
    perItem?: LimitSpec,
    keyPrefix = `recovery:${Math.random()}`,
    url = own.server.url,
  ) {
    const client = new Redis(url, { lazyConnect: true });
    const connection = new RedisConnection(client, timeoutMs);
    const clock = createFakeClock();
    const limit = createSharedLimit({
      connection,
      keyPrefix,
      endpoint,
      perEndpoint,
      perItem,
      maxQueued: 100,
      clock,
      fakeTime: true,
    }) as Limit;
    opened.push(async () => {
      await limit.close();
      await connection.close();
    });
    return { limit, clock, connection, keyPrefix };
  }

  it('costs 2 round trips for a call that finds room in both windows (one take, one settle)', async () => {
    const { limit, connection } = setup({ limit: 10, intervalMs: 1_000 }, { limit: 5, intervalMs: 1_000 });
    await connection.roundTrip();
    const before = connection.commands;
    const permit = await limit.acquire({ itemId: 'item-1' });
    permit.release();
    expect(await until(() => connection.inFlight === 0, 2_000)).toBe(true);
    expect(connection.commands - before).toBe(2);
  });

  it('sends a settle again once Redis answers: the slot frees on time, not at its lease', async () => {
    const proxy = await TcpProxy.start(own.server.port);
    opened.push(() => proxy.close());
    const { limit, connection } = setup({ limit: 1, intervalMs: 60_000 }, undefined, undefined, proxy.url);
    await connection.roundTrip();
    const held = await limit.acquire({});
    // a partition: the cancel cannot reach Redis, and is kept
    proxy.cut();
    expect(await until(() => connection.status !== 'ready', 2_000)).toBe(true);
    held.cancel();
    expect(await until(() => connection.backlog.size === 1, 2_000)).toBe(true);
    // Redis answers again: the kept cancel goes first, and the next call gets the slot at once
    proxy.restore();
    const answeringAt = Date.now();
    let granted = false;
    for (let i = 0; i < 100 && !granted; i += 1) {
      granted = await limit.acquire({ signal: AbortSignal.timeout(1_000) }).then(
        (permit) => {
          permit.cancel();
          return true;
        },
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20)),
      );
    }
    expect(granted).toBe(true);
    expect(Date.now() - answeringAt).toBeLessThan(2_000);
    expect(connection.backlog.size).toBe(0);
  });

  it('frees the slots of a process that died within its call timeout plus a window (its lease)', async () => {
    const spec = { limit: 1, intervalMs: 1_000 };
    const dead = setup(spec);
    await dead.limit.acquire({ timeoutMs: 2_000 }); // never settled: the process "dies"
    await dead.connection.close();
    const takenAt = dead.clock.now();
    const other = setup(spec, undefined, dead.keyPrefix); // another process, on the same (fake) time
    let grantedAt: number | undefined;
    const waiting = other.limit.acquire({}).then((permit) => {
      grantedAt = other.clock.now();
      permit.cancel();
    });
    // the waiting process asks again when Redis says a slot may free (a window, while it is in flight)
    for (let step = 0; step < 20 && grantedAt === undefined; step += 1) {
      await until(() => other.connection.inFlight === 0, 2_000);
      other.clock.advance(1_000);
      await until(() => other.connection.inFlight === 0 && grantedAt === undefined, 50);
    }
    await waiting;
    // the lease: the call's timeout (2 s), a margin of 5 s, and a window; not the 10 minutes of 0.2
    expect((grantedAt as number) - takenAt).toBeGreaterThan(2_000);
    expect((grantedAt as number) - takenAt).toBeLessThanOrEqual(2_000 + 5_000 + 1_000 + 1_000);
  });

  it('lets the first call after an outage succeed within 2 s of Redis answering again', async () => {
    const { limit, connection } = setup({ limit: 100, intervalMs: 1_000 });
    await connection.roundTrip();
    (await limit.acquire({})).release();
    await own.server.kill();
    await expect(limit.acquire({})).rejects.toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true });
    await own.server.restart();
    const answeringAt = Date.now();
    let granted = false;
    for (let i = 0; i < 100 && !granted; i += 1) {
      granted = await limit.acquire({}).then(
        (permit) => {
          permit.cancel();
          return true;
        },
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50)),
      );
    }
    expect(granted).toBe(true);
    expect(Date.now() - answeringAt).toBeLessThan(2_000);
  });
});
