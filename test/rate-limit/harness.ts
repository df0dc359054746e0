import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createFakeClock, type FakeClock } from '../../src/pipeline/rate-limit/clock.js';
import type { Limit, LimitSpec } from '../../src/pipeline/rate-limit/limit.js';
import { createLocalLimit } from '../../src/pipeline/rate-limit/local.js';
import { createRedisLimit } from '../../src/pipeline/rate-limit/redis.js';
import { RedisConnection } from '../../src/pipeline/rate-limit/redis-connection.js';

/** What a contract test asks for. */
export interface LimitSetup {
  perEndpoint?: LimitSpec;
  perItem?: LimitSpec;
  maxQueued?: number;
}

/** One implementation of `Limit` under test, on a fake clock. */
export interface Harness {
  readonly clock: FakeClock;
  /** A new limit of `/accounts/balance/get`, closed by `dispose`. */
  limit(setup: LimitSetup): Limit;
  /** Lets every pending operation (promise chains; Redis round trips) finish. Time does not move. */
  settle(): Promise<void>;
  /**
   * Moves fake time forward by `ms`, stopping at every timer on the way and letting what it
   * started finish, so that an implementation waiting on I/O sees time as a real one would.
   */
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

const endpoint = '/accounts/balance/get';

function withAdvance(clock: FakeClock, settle: () => Promise<void>): Harness['advance'] {
  return async (ms) => {
    let left = ms;
    await settle();
    for (;;) {
      const next = clock.nextTimerIn();
      if (next === undefined || next > left) break;
      clock.advance(next);
      left -= next;
      await settle();
    }
    clock.advance(left);
    await settle();
  };
}

/** Resolves once queued promise callbacks and immediates have run. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The in-process limit. */
export function localHarness(): Harness {
  const clock = createFakeClock();
  const limits: Limit[] = [];
  const settle = () => turns(3);
  return {
    clock,
    limit(setup) {
      const limit = createLocalLimit({ endpoint, maxQueued: 1_000, ...setup, clock });
      limits.push(limit);
      return limit;
    },
    settle,
    advance: withAdvance(clock, settle),
    async dispose() {
      await Promise.all(limits.map((limit) => limit.close()));
    },
  };
}

/** The Redis limit, on the shared test Redis under a fresh prefix, with the fake clock as the windows' time. */
export function redisHarness(url: string): Harness {
  const clock = createFakeClock();
  const client = new Redis(url, { lazyConnect: true });
  const connection = new RedisConnection(client, 5_000);
  const prefix = `plaid-facade-test-${randomUUID()}`;
  const limits: Limit[] = [];
  const settle = async () => {
    // until no script is on its way and the callbacks of the answers have run (they may send more)
    for (let quiet = 0, i = 0; quiet < 2 && i < 1_000; i += 1) {
      await turns(1);
      if (connection.inFlight > 0) {
        quiet = 0;
        await connection.roundTrip();
      } else quiet += 1;
    }
  };
  return {
    clock,
    limit(setup) {
      const limit = createRedisLimit({
        connection,
        keyPrefix: `${prefix}:${limits.length}:sandbox:${endpoint}`,
        endpoint,
        maxQueued: 1_000,
        ...setup,
        clock,
      });
      limits.push(limit);
      return limit;
    },
    settle,
    advance: withAdvance(clock, settle),
    async dispose() {
      await Promise.all(limits.map((limit) => limit.close()));
      await connection.close();
      client.disconnect();
    },
  };
}
