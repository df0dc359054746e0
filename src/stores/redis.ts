/**
 * `plaid-facade/stores/redis`: `RedisTokenStore`, access tokens in Redis (pass an ioredis 5/6 client).
 *
 * @example
 * ```ts
 * import { RedisTokenStore } from 'plaid-facade/stores/redis';
 * ```
 * @module plaid-facade/stores/redis
 */
import { InvalidArgumentError } from '../errors.js';
import { checkIds } from './ids.js';
import { decodeRecord, encodeRecord } from './record-codec.js';
import { storeCall } from './store-error.js';
import type { ItemKey, StoredItem, TokenStore } from './token-store.js';

/**
 * The Redis commands `RedisTokenStore` uses. An ioredis 5/6 `Redis` or `Cluster` instance fits;
 * so does anything else with these methods (this package does not load ioredis itself).
 */
export interface RedisTokenStoreClient {
  /** `HGET key field`. */
  hget(key: string, field: string): Promise<string | null>;
  /** `HSET key field value`. */
  hset(key: string, field: string, value: string): Promise<unknown>;
  /** `HDEL key field`. */
  hdel(key: string, field: string): Promise<unknown>;
  /** `HGETALL key`: every field of the hash, `{}` when there is none. */
  hgetall(key: string): Promise<Record<string, string>>;
}

/** Options of `RedisTokenStore`. */
export interface RedisTokenStoreOptions {
  /** A connected client, e.g. `new Redis(url)` from ioredis. The store never closes it. */
  client: RedisTokenStoreClient;
  /** Prepended to every key. Default `'plaid-facade:tokens:'`. */
  prefix?: string;
}

/**
 * A `TokenStore` in Redis: one hash per user, `<prefix>user:<userId, URI-encoded>`, whose fields
 * are Item ids and whose values are JSON `{ v, accessToken, institutionId?, createdAt, health?,
 * accounts? }`. Listing a user's Items is one `HGETALL`, never a scan of the keyspace. The user id
 * is percent-encoded (so a `:` in it cannot reach into another key); the Item id is a hash field,
 * used as it is. One more hash, `<prefix>items`, maps each Item id to its user for `findByItemId`
 * (webhooks name only the Item); Items written by 0.1 enter it on their next write or through
 * `reindex(userId)`.
 *
 * Access tokens are stored as given: wrap this store in `EncryptedTokenStore` so Redis (and its
 * snapshots and replicas) only ever holds ciphertext.
 */
export class RedisTokenStore implements TokenStore {
  readonly #client: RedisTokenStoreClient;
  readonly #prefix: string;

  /** @throws InvalidArgumentError when `client` lacks the hash commands or `prefix` is not a string */
  constructor(options: RedisTokenStoreOptions) {
    const { client, prefix = 'plaid-facade:tokens:' } = (options ?? {}) as Partial<RedisTokenStoreOptions>;
    const missing = (['hget', 'hset', 'hdel', 'hgetall'] as const).filter(
      (command) => typeof (client as Partial<RedisTokenStoreClient> | undefined)?.[command] !== 'function',
    );
    const issues = [
      ...(missing.length > 0
        ? [{ path: ['client'], message: `must be a Redis client with ${missing.join(', ')}` }]
        : []),
      ...(typeof prefix === 'string' ? [] : [{ path: ['prefix'], message: 'must be a string' }]),
    ];
    if (issues.length > 0) throw new InvalidArgumentError('RedisTokenStore options', issues);
    this.#client = client as RedisTokenStoreClient;
    this.#prefix = prefix;
  }

  /**
   * Checks that Redis answers (one `HGET` of the Item index): a server that is down fails here,
   * before `exchange` spends a public token.
   */
  async probe(): Promise<void> {
    await storeCall('Redis: Checking the connection', {}, () => this.#client.hget(`${this.#prefix}items`, ''));
  }

  /** The Redis key of the hash that holds `userId`'s Items. */
  keyOf(userId: string): string {
    try {
      return `${this.#prefix}user:${encodeURIComponent(userId)}`;
    } catch {
      // encodeURIComponent throws only on a lone UTF-16 surrogate, which Redis cannot keep apart.
      throw new InvalidArgumentError('user id', [{ path: ['userId'], message: 'is not well-formed Unicode' }]);
    }
  }

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const redisKey = this.keyOf(key.userId);
    const text = await storeCall('Redis HGET', { itemId: key.itemId }, () => this.#client.hget(redisKey, key.itemId));
    return text === null || text === undefined ? undefined : decodeRecord(text, key);
  }

  /** The Redis key of the hash from Item id to user id. */
  get indexKey(): string {
    return `${this.#prefix}items`;
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    checkIds('token store key', { userId: item.userId, itemId: item.itemId });
    const redisKey = this.keyOf(item.userId);
    const value = encodeRecord(item);
    await storeCall('Redis HSET', { itemId: item.itemId, secrets: [item.accessToken] }, () =>
      this.#client.hset(redisKey, item.itemId, value),
    );
    // After the record, so the index never points at a record that is not there yet.
    await storeCall('Redis HSET', { itemId: item.itemId }, () =>
      this.#client.hset(this.indexKey, item.itemId, item.userId),
    );
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const redisKey = this.keyOf(key.userId);
    await storeCall('Redis HDEL', { itemId: key.itemId }, () => this.#client.hdel(redisKey, key.itemId));
    // Only this user's index entry: the same Item id may since have been written for another user.
    const owner = await storeCall('Redis HGET', { itemId: key.itemId }, () =>
      this.#client.hget(this.indexKey, key.itemId),
    );
    if (owner === key.userId) {
      await storeCall('Redis HDEL', { itemId: key.itemId }, () => this.#client.hdel(this.indexKey, key.itemId));
    }
  }

  /** @inheritDoc */
  async findByItemId(itemId: string): Promise<StoredItem | undefined> {
    checkIds('token store key', { itemId });
    const userId = await storeCall('Redis HGET', { itemId }, () => this.#client.hget(this.indexKey, itemId));
    if (userId === null || userId === undefined) return undefined;
    // A stale entry (the record deleted by hand) reads as not found.
    return this.get({ userId, itemId });
  }

  /**
   * Puts `userId`'s stored Items into the Item-id index, so `findByItemId` finds Items written by
   * plaid-facade 0.1; returns how many it indexed. Run it once per user after upgrading.
   */
  async reindex(userId: string): Promise<number> {
    const fields = await storeCall('Redis HGETALL', {}, () => this.#client.hgetall(this.keyOf(userId)));
    const itemIds = Object.keys(fields ?? {});
    for (const itemId of itemIds) {
      await storeCall('Redis HSET', { itemId }, () => this.#client.hset(this.indexKey, itemId, userId));
    }
    return itemIds.length;
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    checkIds('token store key', { userId });
    const redisKey = this.keyOf(userId);
    const fields = await storeCall('Redis HGETALL', {}, () => this.#client.hgetall(redisKey));
    return Object.entries(fields ?? {}).map(([itemId, text]) => decodeRecord(text, { userId, itemId }));
  }
}

export {
  RedisBalanceCache,
  type RedisBalanceCacheClient,
  type RedisBalanceCacheOptions,
} from './redis-balance-cache.js';
