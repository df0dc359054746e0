/**
 * What `RedisTokenStore` needs of its Redis client and what it may be given (`RedisTokenStoreOptions`),
 * and the check of both; the store itself is in `redis.ts` (the `plaid-facade/stores/redis` entry).
 */
import { InvalidArgumentError } from '../errors.js';
import type { RedisCommand, RedisDurability } from './redis-durability.js';
import type { RedisLinkRecordsClient } from './redis-link-records.js';

/**
 * The Redis commands `RedisTokenStore` uses. An ioredis 5/6 `Redis` or `Cluster` instance fits;
 * so does anything else with these methods (this package does not load ioredis itself). Every
 * command names one key, so a Cluster never answers `CROSSSLOT`.
 */
export interface RedisTokenStoreClient extends RedisLinkRecordsClient {
  /** `HGET key field`. */
  hget(key: string, field: string): Promise<string | null>;
  /** `HSET key field value`. */
  hset(key: string, field: string, value: string): Promise<unknown>;
  /** `HDEL key field`. */
  hdel(key: string, field: string): Promise<unknown>;
  /** `HGETALL key`: every field of the hash, `{}` when there is none. */
  hgetall(key: string): Promise<Record<string, string>>;
  /** `GET key` (the Item's entry in the Item-id index). */
  get(key: string): Promise<string | null>;
  /** `SET key value` (the Item's entry in the Item-id index). */
  set(key: string, value: string): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
  /** `HSCAN key cursor COUNT n`: only `migrateIndex()` uses it. */
  hscan?(key: string, cursor: string, count: 'COUNT', n: number): Promise<[cursor: string, fields: string[]]>;
  /** Commands sent together on one connection: only `durability` uses it (`WAIT` after a write). */
  pipeline?(commands: RedisCommand[]): {
    /** Sends the commands; each answer as `[error, result]`. */
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
}

/** Options of `RedisTokenStore`. */
export interface RedisTokenStoreOptions {
  /** A connected client, e.g. `new Redis(url)` or `new Cluster(nodes)` from ioredis. The store never closes it. */
  client: RedisTokenStoreClient;
  /** Prepended to every key. Default `'plaid-facade:tokens:'`. */
  prefix?: string;
  /**
   * Waits for replication (`WAIT replicas timeoutMs`) after every write, so that a write counts as
   * stored only once that many replicas hold it. Off by default: Redis replicates asynchronously,
   * and a failover can lose a write it acknowledged. See docs/token-storage.md for the trade.
   */
  durability?: RedisDurability;
  /**
   * Whether `findByItemId` and `delete` still read the 0.2 index hash (`<prefix>items`) when an
   * Item has no entry of its own. Default `true`; set `false` once `migrateIndex()` has run.
   */
  legacyIndex?: boolean;
}

/** The commands every client must have (`hscan` and `pipeline` only for what uses them). */
const required = ['hget', 'hset', 'hdel', 'hgetall', 'get', 'set', 'del'] as const;

/** `RedisTokenStoreOptions` checked, with their defaults. */
export interface CheckedRedisTokenStoreOptions {
  client: RedisTokenStoreClient;
  prefix: string;
  durability: RedisDurability | undefined;
  legacyIndex: boolean;
}

/**
 * Checks `RedisTokenStore`'s options (not yet `durability`, which `checkDurability` reads with the client).
 * @throws InvalidArgumentError when `client` lacks a command, or an option is malformed
 */
export function checkRedisTokenStoreOptions(options: RedisTokenStoreOptions): CheckedRedisTokenStoreOptions {
  const {
    client,
    prefix = 'plaid-facade:tokens:',
    durability,
    legacyIndex = true,
  } = (options ?? {}) as Partial<RedisTokenStoreOptions>;
  const missing = required.filter(
    (command) => typeof (client as Partial<RedisTokenStoreClient> | undefined)?.[command] !== 'function',
  );
  const issues = [
    ...(missing.length > 0 ? [{ path: ['client'], message: `must be a Redis client with ${missing.join(', ')}` }] : []),
    ...(typeof prefix === 'string' ? [] : [{ path: ['prefix'], message: 'must be a string' }]),
    ...(typeof legacyIndex === 'boolean' ? [] : [{ path: ['legacyIndex'], message: 'must be a boolean' }]),
  ];
  if (issues.length > 0) throw new InvalidArgumentError('RedisTokenStore options', issues);
  return { client: client as RedisTokenStoreClient, prefix, durability, legacyIndex };
}
