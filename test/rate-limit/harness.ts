import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { createFakeClock, type FakeClock } from '../../src/pipeline/rate-limit/clock.js';
import type { Limit, LimitSpec } from '../../src/pipeline/rate-limit/limit.js';
import { createLocalLimit } from '../../src/pipeline/rate-limit/local.js';
import { RedisConnection } from '../../src/pipeline/rate-limit/redis-connection.js';
import { createSharedLimit } from '../../src/pipeline/rate-limit/shared.js';

/** What a contract test asks for. */
export interface LimitSetup {
  perEndpoint?: LimitSpec;
  perItem?: LimitSpec;
  maxQueued?: number;
  /** Interactive calls' bound on waiting. */
  maxWaitMs?: number;
  /** Background calls' share of a window. */
  backgroundShare?: number;
}

function lanesOf(setup: LimitSetup) {
  return { maxWaitMs: setup.maxWaitMs, backgroundShare: setup.backgroundShare };
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

/** The start-up nodes of a Redis Cluster: the harnesses then run on a Cluster client. */
export type ClusterNodes = Array<{ host: string; port: number }>;

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
      const limit = createLocalLimit({ endpoint, maxQueued: 1_000, ...setup, lanes: lanesOf(setup), clock });
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

/**
 * The shared limit on an Item's window alone (our Lua scripts): a setup with only `perEndpoint`
 * gets that spec as its Item window, and calls that name no Item are calls for one Item, so that
 * every case of the contract also runs against the Item windows.
 */
export function redisItemHarness(url: string | ClusterNodes): Harness {
  const inner = redisHarness(url);
  const itemId = 'the-item';
  return {
    ...inner,
    limit(setup) {
      if (setup.perItem || !setup.perEndpoint) return inner.limit(setup);
      const limit = inner.limit({ ...setup, perEndpoint: undefined, perItem: setup.perEndpoint });
      return {
        // the case's view: the one window it set up is "the endpoint's"
        acquire: (request) =>
          limit.acquire({
            ...request,
            itemId: request.itemId ?? itemId,
            onWaited: request.onWaited && ((report) => request.onWaited?.({ ...report, perItem: false })),
          }),
        pause: (request) => limit.pause({ itemId: request.itemId ?? itemId }),
        close: () => limit.close(),
      };
    },
  };
}

/**
 * The shared limit (the endpoint's and the Items' windows on the Lua scripts), on the test Redis
 * under a fresh prefix, with the fake clock as the windows' time.
 */
export function redisHarness(url: string | ClusterNodes): Harness {
  const clock = createFakeClock();
  const client =
    typeof url === 'string' ? new Redis(url, { lazyConnect: true }) : new Cluster(url, { lazyConnect: true });
  const connection = new RedisConnection(client, 5_000);
  const prefix = `plaid-facade-test-${randomUUID()}`;
  const limits: Limit[] = [];
  const inFlight = () => connection.inFlight;
  const settle = async () => {
    // until no script is on its way and the callbacks of the answers have run (they may send more)
    for (let quiet = 0, i = 0; quiet < 3 && i < 2_000; i += 1) {
      await turns(1);
      if (inFlight() > 0) {
        quiet = 0;
        await connection.roundTrip();
        await new Promise((resolve) => setTimeout(resolve, 1));
      } else quiet += 1;
    }
  };
  return {
    clock,
    limit(setup) {
      const limit = createSharedLimit({
        connection,
        keyPrefix: `${prefix}:${limits.length}:sandbox:${endpoint}`,
        endpoint,
        maxQueued: 1_000,
        ...setup,
        lanes: lanesOf(setup),
        clock,
        fakeTime: true,
      });
      if (!limit) throw new Error('a limit needs a window');
      limits.push(limit);
      return limit;
    },
    settle,
    advance: withAdvance(clock, settle),
    async dispose() {
      // close() waits for slots whose windows end soon: time has to move for them
      const closing = Promise.all(limits.map((limit) => limit.close()));
      await withAdvance(clock, settle)(10_000);
      await closing;
      await connection.close();
      client.disconnect();
    },
  };
}
