import { TokenStoreError } from '../errors.js';
import type { ItemKey, StoredItem } from './token-store.js';

/** The fields of a `StoredItem` that are not part of its key, as JSON (used by `RedisTokenStore`). */
interface RecordJson {
  v: 1;
  accessToken: string;
  institutionId?: string;
  createdAt: string;
}

/** Serializes what is stored for an Item besides its key. `createdAt` as an ISO-8601 string. */
export function encodeRecord(item: StoredItem): string {
  const record: RecordJson = { v: 1, accessToken: item.accessToken, createdAt: item.createdAt.toISOString() };
  if (item.institutionId !== undefined) record.institutionId = item.institutionId;
  return JSON.stringify(record);
}

/**
 * Reads a record written by `encodeRecord`. Throws `TokenStoreError` with code
 * `TOKEN_RECORD_INVALID` (without quoting the record, which holds the token) when it is not one.
 */
export function decodeRecord(text: string, key: ItemKey): StoredItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = parsed as Partial<RecordJson> | undefined;
  const createdAt = typeof record?.createdAt === 'string' ? new Date(record.createdAt) : undefined;
  if (
    record?.v !== 1 ||
    typeof record.accessToken !== 'string' ||
    !createdAt ||
    Number.isNaN(createdAt.getTime()) ||
    (record.institutionId !== undefined && typeof record.institutionId !== 'string')
  ) {
    throw new TokenStoreError(
      `The stored record of user ${JSON.stringify(key.userId)}, Item ${JSON.stringify(key.itemId)} is not a plaid-facade token record`,
      { code: 'TOKEN_RECORD_INVALID', itemId: key.itemId },
    );
  }
  const item: StoredItem = { userId: key.userId, itemId: key.itemId, accessToken: record.accessToken, createdAt };
  if (record.institutionId !== undefined) item.institutionId = record.institutionId;
  return item;
}
