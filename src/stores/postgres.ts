/**
 * `plaid-facade/stores/postgres`: `PostgresTokenStore`, access tokens in PostgreSQL (pass a `pg` Pool).
 *
 * @example
 * ```ts
 * import { PostgresTokenStore } from 'plaid-facade/stores/postgres';
 * ```
 * @module plaid-facade/stores/postgres
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, TokenStoreError } from '../errors.js';
import { checkIds } from './ids.js';
import { healthToJson } from './item-health.js';
import { PostgresLinkRecords } from './postgres-link-records.js';
import { columns, detailsJson, itemOfRow, type Row } from './postgres-row.js';
import { tokenTableSql } from './postgres-schema.js';
import { quoteTableName } from './sql-identifier.js';
import { storeCall } from './store-error.js';
import type { ItemKey, LinkRecord, ListedRecords, StoredItem, TokenStore } from './token-store.js';

/**
 * What `PostgresTokenStore` needs of its database handle: a `pg` `Pool` (or `Client`) fits, as
 * does anything with a compatible `query` (this package does not load pg itself).
 */
export interface PostgresTokenStoreClient {
  /** Runs one parameterized statement (`$1`, `$2`, …) and resolves with its rows. */
  query(
    text: string,
    values?: unknown[],
  ): Promise<{
    /** The rows the statement returned. */
    rows: unknown[];
    /** How many rows the statement touched (pg sets it; link records need it). */
    rowCount?: number | null;
  }>;
}

/** Options of `PostgresTokenStore`. */
export interface PostgresTokenStoreOptions {
  /** A `pg` `Pool` (preferred) or connected `Client`. The store never ends it. */
  pool: PostgresTokenStoreClient;
  /**
   * The table, `name` or `schema.name`: letters, digits and `_` only, quoted (so case-sensitive).
   * Default `'plaid_facade_tokens'`.
   */
  table?: string;
}

/**
 * A `TokenStore` in a PostgreSQL table with primary key `(user_id, item_id)`, so `list` is an
 * index range scan. Every statement is parameterized; the table name is validated and quoted.
 * Call `await store.ensureSchema()` once at start-up (or create the table with the SQL in
 * docs/token-storage.md). Access tokens are stored as given: wrap this store in
 * `EncryptedTokenStore` so the database (and its backups) only ever holds ciphertext.
 */
export class PostgresTokenStore implements TokenStore {
  readonly #pool: PostgresTokenStoreClient;
  readonly #table: string;
  readonly #tableName: string;
  // The table as a regclass literal and the name of its item_id index, for ensureSchema().
  readonly #regclass: string;
  readonly #itemIndex: string;
  readonly #linkRecords: PostgresLinkRecords;

  /** @throws InvalidArgumentError when `pool` has no `query` or `table` is not a valid name */
  constructor(options: PostgresTokenStoreOptions) {
    const { pool, table = 'plaid_facade_tokens' } = (options ?? {}) as Partial<PostgresTokenStoreOptions>;
    if (typeof pool?.query !== 'function') {
      throw new InvalidArgumentError('PostgresTokenStore options', [
        { path: ['pool'], message: 'must be a pg Pool or Client (something with query(text, values))' },
      ]);
    }
    this.#pool = pool;
    const { quoted, parts } = quoteTableName(table);
    this.#table = quoted;
    this.#tableName = table;
    this.#regclass = quoted.replaceAll("'", "''");
    // Index names live in the table's schema and are cut at 63 bytes: a short hash of the whole
    // name keeps two long table names from sharing one.
    const hash = createHash('sha256').update(table).digest('hex').slice(0, 8);
    this.#itemIndex = `"${(parts.at(-1) as string).slice(0, 40)}_${hash}_item_id"`;
    this.#linkRecords = new PostgresLinkRecords(table, async (what, sql, values) => {
      const result = await storeCall(`PostgreSQL: ${what}`, {}, () => this.#pool.query(sql, values));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    });
  }

  /**
   * Creates the table, its primary key and its `item_id` index if they do not exist, and brings a
   * table made by plaid-facade 0.1 or 0.2 up to date (adds the `health`, `accounts` and `details`
   * columns and the index; every row stays, read as healthy since its `created_at`, its details
   * absent until `getItem` learns them). Idempotent, and safe to run
   * from many processes at once: a transaction-scoped advisory lock serializes it, which
   * `CREATE TABLE IF NOT EXISTS` alone does not. Once up to date it takes no table lock. On a large
   * 0.1 table the one-time index build blocks writes while it runs; create the index yourself with
   * `CREATE INDEX CONCURRENTLY` beforehand to avoid that (see docs/token-storage.md).
   */
  async ensureSchema(): Promise<void> {
    // A DO block is one statement, hence one transaction, on whichever pooled connection runs it,
    // so the xact lock is held until the table is committed. The names are validated and quoted.
    // The catalogue checks come first because ALTER TABLE and CREATE INDEX take their locks even
    // when IF NOT EXISTS then finds nothing to do.
    const sql = tokenTableSql(this.#table, this.#regclass, this.#itemIndex);
    await this.#run('Creating the token table', {}, sql, []);
    await this.#linkRecords.ensureSchema();
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

  /**
   * Checks that the table exists with plaid-facade's columns (one `SELECT … LIMIT 0`): a missing
   * `ensureSchema()` or an unreachable server fails here, before `exchange` spends a public token.
   */
  async probe(): Promise<void> {
    await this.#run('Checking the token table', {}, `SELECT ${columns} FROM ${this.#table} LIMIT 0`, []);
  }

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const rows = await this.#run(
      'Reading a token',
      { itemId: key.itemId },
      `SELECT ${columns} FROM ${this.#table} WHERE user_id = $1 AND item_id = $2`,
      [key.userId, key.itemId],
    );
    return rows[0] === undefined ? undefined : this.#item(key.userId, rows[0]);
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    checkIds('token store key', { userId: item.userId, itemId: item.itemId });
    await this.#run(
      'Writing a token',
      { itemId: item.itemId, secrets: [item.accessToken] },
      `INSERT INTO ${this.#table} (user_id, item_id, access_token, institution_id, created_at, health, accounts, details)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
       ON CONFLICT (user_id, item_id) DO UPDATE SET
         access_token = EXCLUDED.access_token,
         institution_id = EXCLUDED.institution_id,
         created_at = EXCLUDED.created_at,
         health = EXCLUDED.health,
         accounts = EXCLUDED.accounts,
         details = EXCLUDED.details,
         updated_at = now()`,
      [
        item.userId,
        item.itemId,
        item.accessToken,
        item.institutionId ?? null,
        item.createdAt.toISOString(),
        item.health === undefined ? null : JSON.stringify(healthToJson(item.health)),
        item.accounts === undefined ? null : JSON.stringify(item.accounts),
        detailsJson(item),
      ],
    );
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    await this.#run(
      'Deleting a token',
      { itemId: key.itemId },
      `DELETE FROM ${this.#table} WHERE user_id = $1 AND item_id = $2`,
      [key.userId, key.itemId],
    );
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    checkIds('token store key', { userId });
    const rows = await this.#run('Listing tokens', {}, `SELECT ${columns} FROM ${this.#table} WHERE user_id = $1`, [
      userId,
    ]);
    return rows.map((row) => this.#item(userId, row));
  }

  /** @inheritDoc */
  async listRecords(userId: string): Promise<ListedRecords> {
    checkIds('token store key', { userId });
    const rows = await this.#run('Listing tokens', {}, `SELECT ${columns} FROM ${this.#table} WHERE user_id = $1`, [
      userId,
    ]);
    const result: ListedRecords = { items: [], unreadable: [] };
    for (const row of rows) {
      try {
        result.items.push(this.#item(userId, row));
      } catch (error) {
        // A row without even an Item id cannot be reported as one Item: the list fails, as `list` does.
        if (!(error instanceof TokenStoreError) || error.itemId === undefined) throw error;
        result.unreadable.push({ itemId: error.itemId, error });
      }
    }
    return result;
  }

  /** @inheritDoc */
  async findByItemId(itemId: string): Promise<StoredItem | undefined> {
    checkIds('token store key', { itemId });
    const rows = await this.#run(
      'Finding an Item',
      { itemId },
      `SELECT ${columns} FROM ${this.#table} WHERE item_id = $1 ORDER BY updated_at DESC LIMIT 1`,
      [itemId],
    );
    const row = rows[0] as Partial<Row> | undefined;
    return row === undefined || typeof row.user_id !== 'string' ? undefined : this.#item(row.user_id, row);
  }

  async #run(
    what: string,
    context: { itemId?: string; secrets?: string[] },
    sql: string,
    values: unknown[],
  ): Promise<unknown[]> {
    try {
      const result = await storeCall(`PostgreSQL: ${what}`, context, () => this.#pool.query(sql, values));
      return result.rows;
    } catch (error) {
      if (error instanceof TokenStoreError && error.cause?.code === '42703') {
        throw new TokenStoreError(
          `PostgreSQL: ${what} failed: the table ${this.#tableName} lacks columns this version of plaid-facade needs (call ensureSchema() once to add them)`,
          { cause: error.cause, code: 'TOKEN_STORE_ERROR', itemId: context.itemId },
        );
      }
      if (error instanceof TokenStoreError && error.cause?.code === '42P01') {
        throw new TokenStoreError(
          `PostgreSQL: ${what} failed: the table ${this.#tableName} does not exist (call ensureSchema() first)`,
          { cause: error.cause, code: 'TOKEN_STORE_ERROR', itemId: context.itemId },
        );
      }
      throw error;
    }
  }

  #item(userId: string, value: unknown): StoredItem {
    return itemOfRow(userId, value, this.#tableName);
  }
}
