/**
 * The token table's rows, read and written by `PostgresTokenStore`: the columns, one row → one
 * `StoredItem`, and the JSON columns.
 */
import { TokenStoreError } from '../errors.js';
import { detailsFromJson, detailsToJson } from './item-details.js';
import { accountsFromJson, healthFromJson } from './item-health.js';
import type { StoredItem } from './token-store.js';

/** A row of the token table, as pg returns it. */
export interface Row {
  user_id: string;
  item_id: string;
  access_token: string;
  institution_id: string | null;
  created_at: Date | string;
  health: unknown;
  accounts: unknown;
  details: unknown;
}

/** The columns every read selects. */
export const columns = 'user_id, item_id, access_token, institution_id, created_at, health, accounts, details';

/**
 * One row of the token table as a `StoredItem`.
 * @throws TokenStoreError (`TOKEN_RECORD_INVALID`) when the row is malformed
 */
export function itemOfRow(userId: string, value: unknown, tableName: string): StoredItem {
  const row = value as Partial<Row>;
  // pg returns timestamptz as a Date unless the application changed its type parsers.
  const createdAt =
    row.created_at instanceof Date
      ? new Date(row.created_at.getTime())
      : typeof row.created_at === 'string'
        ? new Date(row.created_at)
        : undefined;
  const health = row.health === null || row.health === undefined ? undefined : healthFromJson(json(row.health));
  const accounts =
    row.accounts === null || row.accounts === undefined ? undefined : accountsFromJson(json(row.accounts));
  const details = detailsFromJson(json(row.details));
  if (
    typeof row.item_id !== 'string' ||
    typeof row.access_token !== 'string' ||
    !createdAt ||
    Number.isNaN(createdAt.getTime()) ||
    (row.health !== null && row.health !== undefined && !health) ||
    (row.accounts !== null && row.accounts !== undefined && !accounts) ||
    !details
  ) {
    throw new TokenStoreError(`PostgreSQL: a row of ${tableName} for user ${JSON.stringify(userId)} is malformed`, {
      code: 'TOKEN_RECORD_INVALID',
      itemId: typeof row.item_id === 'string' ? row.item_id : undefined,
    });
  }
  const item: StoredItem = { userId, itemId: row.item_id, accessToken: row.access_token, createdAt, ...details };
  if (typeof row.institution_id === 'string') item.institutionId = row.institution_id;
  if (health) item.health = health;
  if (accounts) item.accounts = accounts;
  return item;
}

/** The details column: null when there are none (an Item getItem has not read yet). */
export function detailsJson(item: StoredItem): string | null {
  const details = detailsToJson(item);
  return Object.keys(details).length === 0 ? null : JSON.stringify(details);
}

/** pg parses jsonb unless the application replaced its type parsers; then it is text. */
function json(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
