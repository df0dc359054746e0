import { TokenStoreError } from '../errors.js';
import { detailsFromJson, detailsToJson, type ItemDetailsJson } from './item-details.js';
import {
  accountsFromJson,
  healthFromJson,
  healthToJson,
  type ItemAccount,
  type ItemHealthJson,
} from './item-health.js';
import type { ItemKey, StoredItem } from './token-store.js';

/**
 * The fields of a `StoredItem` that are not part of its key, as JSON (used by `RedisTokenStore`).
 * Still `v: 1` in 0.2: `health` and `accounts` are optional additions, which a 0.1 reader ignores,
 * so processes of both versions can share a store during a rolling deploy. So are 0.3's
 * `institutionName`, `itemCreatedAt` and `consent` (`ItemDetailsJson`, at the top level).
 */
interface RecordJson extends ItemDetailsJson {
  v: 1;
  accessToken: string;
  institutionId?: string;
  createdAt: string;
  health?: ItemHealthJson;
  accounts?: ItemAccount[];
}

/** Serializes what is stored for an Item besides its key. Dates as ISO-8601 strings. */
export function encodeRecord(item: StoredItem): string {
  const record: RecordJson = { v: 1, accessToken: item.accessToken, createdAt: item.createdAt.toISOString() };
  if (item.institutionId !== undefined) record.institutionId = item.institutionId;
  if (item.health !== undefined) record.health = healthToJson(item.health);
  if (item.accounts !== undefined) record.accounts = item.accounts;
  Object.assign(record, detailsToJson(item));
  return JSON.stringify(record);
}

/**
 * Reads a record written by `encodeRecord` (or by 0.1, without health and accounts; or by 0.2,
 * without the details). Throws
 * `TokenStoreError` with code `TOKEN_RECORD_INVALID` (without quoting the record, which holds the
 * token) when it is not one.
 */
export function decodeRecord(text: string, key: ItemKey): StoredItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = parsed as Partial<Record<keyof RecordJson, unknown>> | undefined;
  const createdAt = typeof record?.createdAt === 'string' ? new Date(record.createdAt) : undefined;
  const health = record?.health === undefined ? undefined : healthFromJson(record.health);
  const accounts = record?.accounts === undefined ? undefined : accountsFromJson(record.accounts);
  const details = detailsFromJson(record);
  if (
    record?.v !== 1 ||
    typeof record.accessToken !== 'string' ||
    !createdAt ||
    Number.isNaN(createdAt.getTime()) ||
    (record.institutionId !== undefined && typeof record.institutionId !== 'string') ||
    (record.health !== undefined && !health) ||
    (record.accounts !== undefined && !accounts) ||
    !details
  ) {
    throw new TokenStoreError(
      `The stored record of user ${JSON.stringify(key.userId)}, Item ${JSON.stringify(key.itemId)} is not a plaid-facade token record`,
      { code: 'TOKEN_RECORD_INVALID', itemId: key.itemId },
    );
  }
  const item: StoredItem = {
    userId: key.userId,
    itemId: key.itemId,
    accessToken: record.accessToken,
    createdAt,
    ...details,
  };
  if (typeof record.institutionId === 'string') item.institutionId = record.institutionId;
  if (health) item.health = health;
  if (accounts) item.accounts = accounts;
  return item;
}
