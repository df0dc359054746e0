import { InvalidArgumentError, TokenStoreError } from '../errors.js';
import { quoteTableName } from './sql-identifier.js';
import { storeCall } from './store-error.js';
import type { ItemKey, StoredItem, TokenStore } from './token-store.js';

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

interface Row {
  item_id: string;
  access_token: string;
  institution_id: string | null;
  created_at: Date | string;
}

// Any constant works as long as every process uses the same one: it serializes ensureSchema().
const schemaLockKey = 0x706c6169; // "plai"

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

  /** @throws InvalidArgumentError when `pool` has no `query` or `table` is not a valid name */
  constructor(options: PostgresTokenStoreOptions) {
    const { pool, table = 'plaid_facade_tokens' } = (options ?? {}) as Partial<PostgresTokenStoreOptions>;
    if (typeof pool?.query !== 'function') {
      throw new InvalidArgumentError('PostgresTokenStore options', [
        { path: ['pool'], message: 'must be a pg Pool or Client (something with query(text, values))' },
      ]);
    }
    this.#pool = pool;
    this.#table = quoteTableName(table).quoted;
    this.#tableName = table;
  }

  /**
   * Creates the table and its primary key if they do not exist. Idempotent, and safe to run from
   * many processes at once: a transaction-scoped advisory lock serializes the creation, which
   * `CREATE TABLE IF NOT EXISTS` alone does not.
   */
  async ensureSchema(): Promise<void> {
    // A DO block is one statement, hence one transaction, on whichever pooled connection runs it,
    // so the xact lock is held until the table is committed. The name is validated and quoted.
    const sql = `DO $plaid_facade$ BEGIN
  PERFORM pg_advisory_xact_lock(${schemaLockKey});
  CREATE TABLE IF NOT EXISTS ${this.#table} (
    user_id        text        NOT NULL,
    item_id        text        NOT NULL,
    access_token   text        NOT NULL,
    institution_id text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, item_id)
  );
END $plaid_facade$`;
    await this.#run('Creating the token table', {}, sql, []);
  }

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    const rows = await this.#run(
      'Reading a token',
      { itemId: key.itemId },
      `SELECT item_id, access_token, institution_id, created_at FROM ${this.#table} WHERE user_id = $1 AND item_id = $2`,
      [key.userId, key.itemId],
    );
    return rows[0] === undefined ? undefined : this.#item(key.userId, rows[0]);
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    await this.#run(
      'Writing a token',
      { itemId: item.itemId, secrets: [item.accessToken] },
      `INSERT INTO ${this.#table} (user_id, item_id, access_token, institution_id, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, item_id) DO UPDATE SET
         access_token = EXCLUDED.access_token,
         institution_id = EXCLUDED.institution_id,
         created_at = EXCLUDED.created_at,
         updated_at = now()`,
      [item.userId, item.itemId, item.accessToken, item.institutionId ?? null, item.createdAt.toISOString()],
    );
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    await this.#run(
      'Deleting a token',
      { itemId: key.itemId },
      `DELETE FROM ${this.#table} WHERE user_id = $1 AND item_id = $2`,
      [key.userId, key.itemId],
    );
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    const rows = await this.#run(
      'Listing tokens',
      {},
      `SELECT item_id, access_token, institution_id, created_at FROM ${this.#table} WHERE user_id = $1`,
      [userId],
    );
    return rows.map((row) => this.#item(userId, row));
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
    const row = value as Partial<Row>;
    // pg returns timestamptz as a Date unless the application changed its type parsers.
    const createdAt =
      row.created_at instanceof Date
        ? new Date(row.created_at.getTime())
        : typeof row.created_at === 'string'
          ? new Date(row.created_at)
          : undefined;
    if (
      typeof row.item_id !== 'string' ||
      typeof row.access_token !== 'string' ||
      !createdAt ||
      Number.isNaN(createdAt.getTime())
    ) {
      throw new TokenStoreError(
        `PostgreSQL: a row of ${this.#tableName} for user ${JSON.stringify(userId)} is malformed`,
        {
          code: 'TOKEN_RECORD_INVALID',
          itemId: typeof row.item_id === 'string' ? row.item_id : undefined,
        },
      );
    }
    const item: StoredItem = { userId, itemId: row.item_id, accessToken: row.access_token, createdAt };
    if (typeof row.institution_id === 'string') item.institutionId = row.institution_id;
    return item;
  }
}
