import { chainLimits } from './chain.js';
import type { Clock } from './clock.js';
import { createClusteredLimit } from './clustered.js';
import type { ClusteredConnection } from './clustered-connection.js';
import type { Limit, LimitSpec } from './limit.js';
import { createRedisLimit } from './redis.js';
import type { RedisConnection } from './redis-connection.js';

/** How one endpoint's limits are shared through Redis. */
export interface SharedLimitOptions {
  /** The Lua scripts' connection, for the Item windows. */
  readonly connection: RedisConnection;
  /** bottleneck's, for the endpoint's window. */
  readonly clustered: ClusteredConnection;
  /** Start of every key of this endpoint, e.g. `plaid-facade:production:/accounts/balance/get`. */
  readonly keyPrefix: string;
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  readonly perEndpoint?: LimitSpec | undefined;
  readonly perItem?: LimitSpec | undefined;
  /** Calls that may wait in this process per limit. 0: never wait. */
  readonly maxQueued: number;
  readonly clock: Clock;
  /** Given (tests): the Item windows' time in Redis too, instead of Redis's own clock. */
  readonly fakeTime?: boolean | undefined;
}

/**
 * The limits of one endpoint shared through Redis: each Item's window a sorted set kept by Lua
 * scripts (redis.ts), the endpoint's window on bottleneck's clustering (clustered.ts), taken in
 * that order. Undefined when the endpoint has neither.
 */
export function createSharedLimit(options: SharedLimitOptions): Limit | undefined {
  const { keyPrefix, endpoint, maxQueued, perItem, perEndpoint } = options;
  const item =
    perItem &&
    createRedisLimit({
      connection: options.connection,
      keyPrefix,
      endpoint,
      perItem,
      maxQueued,
      clock: options.fakeTime ? options.clock : undefined,
    });
  const whole =
    perEndpoint &&
    createClusteredLimit({
      connection: options.clustered,
      // `{…}`: the engine's keys in one Redis Cluster hash slot, as bottleneck's scripts need
      id: `{${keyPrefix}}:all:${perEndpoint.limit}per${perEndpoint.intervalMs}ms`,
      endpoint,
      spec: perEndpoint,
      maxQueued,
      clock: options.clock,
    });
  return item && whole ? chainLimits(item, whole) : item || whole || undefined;
}
