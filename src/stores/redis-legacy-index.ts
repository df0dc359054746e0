import { storeCall } from './store-error.js';

/** What `RedisTokenStore.migrateIndex()` did. */
export interface RedisIndexMigration {
  /** Entries copied to a key of their own. */
  moved: number;
  /** Entries left as they were because the Item already had a key of its own (written since). */
  kept: number;
  /** Entries dropped because their record is gone (the Item was deleted, e.g. by hand). */
  dropped: number;
}

/** The commands the migration uses (a subset of `RedisTokenStoreClient`). */
interface MigrationClient {
  hget(key: string, field: string): Promise<string | null>;
  hdel(key: string, field: string): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  hscan?(key: string, cursor: string, count: 'COUNT', n: number): Promise<[cursor: string, fields: string[]]>;
}

interface MigrationPlan {
  legacyKey: string;
  batchSize: number;
  indexKeyOf: (itemId: string) => string;
  userKeyOf: (userId: string) => string;
}

/**
 * Moves the 0.2 index hash to one key per Item, one `HSCAN` batch at a time, deleting each field once
 * handled (deleting fields already returned is safe during an `HSCAN`). When the scan ends the hash
 * is empty unless a 0.2 process wrote to it meanwhile, and Redis deletes an empty hash by itself.
 */
export async function migrateLegacyIndex(client: MigrationClient, plan: MigrationPlan): Promise<RedisIndexMigration> {
  const { hscan } = client;
  if (typeof hscan !== 'function') throw new TypeError('RedisTokenStore.migrateIndex: the client has no hscan()');
  const result: RedisIndexMigration = { moved: 0, kept: 0, dropped: 0 };
  let cursor = '0';
  do {
    const [next, flat] = await storeCall('Redis HSCAN', {}, () =>
      hscan.call(client, plan.legacyKey, cursor, 'COUNT', plan.batchSize),
    );
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const itemId = flat[i] as string;
      const userId = flat[i + 1] as string;
      result[await migrateOne(client, plan, itemId, userId)] += 1;
      await storeCall('Redis HDEL', { itemId }, () => client.hdel(plan.legacyKey, itemId));
    }
  } while (cursor !== '0');
  return result;
}

async function migrateOne(
  client: MigrationClient,
  plan: MigrationPlan,
  itemId: string,
  userId: string,
): Promise<keyof RedisIndexMigration> {
  const indexKey = plan.indexKeyOf(itemId);
  // The Item's own key wins: it was written by 0.3, after the hash's entry.
  if ((await storeCall('Redis GET', { itemId }, () => client.get(indexKey))) !== null) return 'kept';
  const record = await storeCall('Redis HGET', { itemId }, () => client.hget(plan.userKeyOf(userId), itemId));
  if (record === null) return 'dropped';
  await storeCall('Redis SET', { itemId }, () => client.set(indexKey, userId));
  return 'moved';
}
