/**
 * `plaid-facade/stores/redis`: `RedisTokenStore`, access tokens in Redis (pass an ioredis 5/6 client).
 *
 * @example
 * ```ts
 * import { RedisTokenStore } from 'plaid-facade/stores/redis';
 * ```
 * @module plaid-facade/stores/redis
 */
import { InvalidArgumentError, TokenStoreError } from '../errors.js';
import { checkIds } from './ids.js';
import { decodeRecord, encodeRecord } from './record-codec.js';
import {
  checkDurability,
  type RedisCommand,
  type RedisDurability,
  type RedisPipelineClient,
  writeAndWait,
} from './redis-durability.js';
import { migrateLegacyIndex, type RedisIndexMigration } from './redis-legacy-index.js';
import { RedisLinkRecords } from './redis-link-records.js';
import {
  checkRedisTokenStoreOptions,
  type RedisTokenStoreClient,
  type RedisTokenStoreOptions,
} from './redis-options.js';
import { storeCall } from './store-error.js';
import type { ItemKey, LinkRecord, ListedRecords, StoredItem, TokenStore } from './token-store.js';

export type { RedisDurability } from './redis-durability.js';
export type { RedisIndexMigration } from './redis-legacy-index.js';
export type { RedisTokenStoreClient, RedisTokenStoreOptions } from './redis-options.js';

/**
 * A `TokenStore` in Redis, sized for a fleet: no key grows with all Items or all users.
 *
 * - One hash per user, `<prefix>user:<userId, URI-encoded>`, whose fields are Item ids and whose
 *   values are JSON `{ v, accessToken, institutionId?, createdAt, health?, accounts?, institutionName?,
 *   itemCreatedAt?, consent? }`. Listing a user's Items is one `HGETALL`, never a scan of the keyspace.
 * - One string per Item, `<prefix>item:<itemId, URI-encoded>`, holding its user id, for
 *   `findByItemId` (webhooks name only the Item).
 *
 * Ids are percent-encoded, so a `:` (or a Cluster hash tag's `{`) in them cannot reach into another
 * key. Every command names one key, so it works on an ioredis `Cluster` as on a single Redis.
 * 0.2 kept the Item-id index in one hash, `<prefix>items`: it is still read (read both, write new)
 * until `migrateIndex()` has moved it; see docs/token-storage.md.
 *
 * Access tokens are stored as given: wrap this store in `EncryptedTokenStore` so Redis (and its
 * snapshots and replicas) only ever holds ciphertext.
 */
export class RedisTokenStore implements TokenStore {
  readonly #client: RedisTokenStoreClient;
  readonly #prefix: string;
  readonly #durability: RedisDurability | undefined;
  readonly #legacyIndex: boolean;
  readonly #linkRecords: RedisLinkRecords;

  /** @throws InvalidArgumentError when `client` lacks a command, or an option is malformed */
  constructor(options: RedisTokenStoreOptions) {
    const { client, prefix, durability, legacyIndex } = checkRedisTokenStoreOptions(options);
    this.#durability = checkDurability(durability, client);
    this.#client = client;
    this.#prefix = prefix;
    this.#legacyIndex = legacyIndex;
    this.#linkRecords = new RedisLinkRecords(this.#client, prefix);
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
    return `${this.#prefix}user:${encode(userId, 'userId')}`;
  }

  /** The Redis key that holds the user id of Item `itemId` (the Item-id index). */
  indexKeyOf(itemId: string): string {
    return `${this.#prefix}item:${encode(itemId, 'itemId')}`;
  }

  /** The Redis key of the 0.2 Item-id index (one hash of every Item), read until it is migrated. */
  get legacyIndexKey(): string {
    return `${this.#prefix}items`;
  }

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const redisKey = this.keyOf(key.userId);
    const text = await storeCall('Redis HGET', { itemId: key.itemId }, () => this.#client.hget(redisKey, key.itemId));
    return text === null || text === undefined ? undefined : decodeRecord(text, key);
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    checkIds('token store key', { userId: item.userId, itemId: item.itemId });
    const redisKey = this.keyOf(item.userId);
    const value = encodeRecord(item);
    await this.#write('Redis HSET', item.itemId, ['hset', redisKey, item.itemId, value], [item.accessToken], () =>
      this.#client.hset(redisKey, item.itemId, value),
    );
    // After the record, so the index never points at a record that is not there yet.
    const indexKey = this.indexKeyOf(item.itemId);
    await this.#write('Redis SET', item.itemId, ['set', indexKey, item.userId], [], () =>
      this.#client.set(indexKey, item.userId),
    );
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const redisKey = this.keyOf(key.userId);
    await this.#write('Redis HDEL', key.itemId, ['hdel', redisKey, key.itemId], [], () =>
      this.#client.hdel(redisKey, key.itemId),
    );
    // Only this user's index entry: the same Item id may since have been written for another user.
    const indexKey = this.indexKeyOf(key.itemId);
    const owner = await storeCall('Redis GET', { itemId: key.itemId }, () => this.#client.get(indexKey));
    if (owner === key.userId) {
      await this.#write('Redis DEL', key.itemId, ['del', indexKey], [], () => this.#client.del(indexKey));
    }
    if (!this.#legacyIndex) return;
    const legacyOwner = await storeCall('Redis HGET', { itemId: key.itemId }, () =>
      this.#client.hget(this.legacyIndexKey, key.itemId),
    );
    if (legacyOwner === key.userId) {
      await this.#write('Redis HDEL', key.itemId, ['hdel', this.legacyIndexKey, key.itemId], [], () =>
        this.#client.hdel(this.legacyIndexKey, key.itemId),
      );
    }
  }

  /** @inheritDoc */
  async findByItemId(itemId: string): Promise<StoredItem | undefined> {
    checkIds('token store key', { itemId });
    const indexKey = this.indexKeyOf(itemId);
    let userId = await storeCall('Redis GET', { itemId }, () => this.#client.get(indexKey));
    if ((userId === null || userId === undefined) && this.#legacyIndex) {
      // Read both: an Item indexed by 0.2 and not written since is only in the old hash.
      userId = await storeCall('Redis HGET', { itemId }, () => this.#client.hget(this.legacyIndexKey, itemId));
    }
    if (userId === null || userId === undefined) return undefined;
    // A stale entry (the record deleted by hand) reads as not found.
    return this.get({ userId, itemId });
  }

  /**
   * Puts `userId`'s stored Items into the Item-id index, so `findByItemId` finds Items written by
   * plaid-facade 0.1; returns how many it indexed. Run it once per user after upgrading from 0.1.
   */
  async reindex(userId: string): Promise<number> {
    checkIds('token store key', { userId });
    const fields = await storeCall('Redis HGETALL', {}, () => this.#client.hgetall(this.keyOf(userId)));
    const itemIds = Object.keys(fields ?? {});
    for (const itemId of itemIds) {
      const indexKey = this.indexKeyOf(itemId);
      await this.#write('Redis SET', itemId, ['set', indexKey, userId], [], () => this.#client.set(indexKey, userId));
    }
    return itemIds.length;
  }

  /**
   * Moves the 0.2 Item-id index (`<prefix>items`, one hash of every Item) to one key per Item, a
   * batch of `HSCAN` at a time, deleting each field once moved, so the hash shrinks and is gone at
   * the end. An Item that already has its own entry keeps it (it was written since); an entry whose
   * record is gone is dropped. Run it once, after every process runs 0.3; running it again is safe.
   */
  async migrateIndex(options: { batchSize?: number } = {}): Promise<RedisIndexMigration> {
    return migrateLegacyIndex(this.#client, {
      legacyKey: this.legacyIndexKey,
      batchSize: options.batchSize ?? 500,
      indexKeyOf: (itemId) => this.indexKeyOf(itemId),
      userKeyOf: (userId) => this.keyOf(userId),
    });
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    checkIds('token store key', { userId });
    const redisKey = this.keyOf(userId);
    const fields = await storeCall('Redis HGETALL', {}, () => this.#client.hgetall(redisKey));
    return Object.entries(fields ?? {}).map(([itemId, text]) => decodeRecord(text, { userId, itemId }));
  }

  /** @inheritDoc */
  async listRecords(userId: string): Promise<ListedRecords> {
    checkIds('token store key', { userId });
    const redisKey = this.keyOf(userId);
    const fields = await storeCall('Redis HGETALL', {}, () => this.#client.hgetall(redisKey));
    const result: ListedRecords = { items: [], unreadable: [] };
    for (const [itemId, text] of Object.entries(fields ?? {})) {
      try {
        result.items.push(decodeRecord(text, { userId, itemId }));
      } catch (error) {
        if (!(error instanceof TokenStoreError)) throw error;
        result.unreadable.push({ itemId, error });
      }
    }
    return result;
  }

  /** @inheritDoc */
  getLinkRecord(key: string): Promise<LinkRecord | undefined> {
    return this.#linkRecords.get(key);
  }

  /** @inheritDoc */
  setLinkRecord(record: LinkRecord, expected?: string | null): Promise<boolean> {
    return this.#linkRecords.set(record, expected);
  }

  /** @inheritDoc */
  deleteLinkRecord(key: string, expected?: string): Promise<boolean> {
    return this.#linkRecords.delete(key, expected);
  }

  // One write, followed by WAIT on the same connection when `durability` is set.
  #write(
    what: string,
    itemId: string,
    command: RedisCommand,
    secrets: ReadonlyArray<string>,
    plain: () => Promise<unknown>,
  ): Promise<unknown> {
    const durability = this.#durability;
    // The constructor made sure the client has pipeline() when durability is set.
    return storeCall(what, { itemId, secrets }, () =>
      durability ? writeAndWait(this.#client as RedisPipelineClient, command, durability, itemId) : plain(),
    );
  }
}

/** Percent-encodes an id for a key; a lone surrogate (refused by `checkIds` before) cannot be encoded. */
function encode(id: string, name: 'userId' | 'itemId'): string {
  try {
    return encodeURIComponent(id);
  } catch {
    // encodeURIComponent throws only on a lone UTF-16 surrogate, which Redis cannot keep apart.
    throw new InvalidArgumentError(name === 'userId' ? 'user id' : 'Item id', [
      { path: [name], message: 'is not well-formed Unicode' },
    ]);
  }
}

export {
  RedisBalanceCache,
  type RedisBalanceCacheClient,
  type RedisBalanceCacheOptions,
} from './redis-balance-cache.js';
