// Compile-time checks (run by `tsc --noEmit`, not by vitest): the structural client types of the
// Redis and PostgreSQL stores accept the real ioredis and pg classes users will pass.
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import type { PostgresTokenStoreClient } from '../../src/stores/postgres.js';
import type { RedisBalanceCacheClient, RedisTokenStoreClient } from '../../src/stores/redis.js';

export type RedisAccepted = [
  Redis extends RedisTokenStoreClient ? true : never,
  Cluster extends RedisTokenStoreClient ? true : never,
  Redis extends RedisBalanceCacheClient ? true : never,
  Cluster extends RedisBalanceCacheClient ? true : never,
];
export type PgAccepted = [
  pg.Pool extends PostgresTokenStoreClient ? true : never,
  pg.Client extends PostgresTokenStoreClient ? true : never,
  pg.PoolClient extends PostgresTokenStoreClient ? true : never,
];

// `never` in a tuple above would make this assignment fail to compile.
export const accepted: [RedisAccepted, PgAccepted] = [
  [true, true, true, true],
  [true, true, true],
];
