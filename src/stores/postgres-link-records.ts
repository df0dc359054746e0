import { checkLinkRecord } from './link-records.js';
import { quoteTableName } from './sql-identifier.js';
import type { LinkRecord } from './token-store.js';

/** Runs one statement of the store (its error handling included). */
type Run = (what: string, sql: string, values: unknown[]) => Promise<{ rows: unknown[]; rowCount: number }>;

// Any constant works as long as every process uses the same one: it serializes the table's creation.
const schemaLockKey = 0x706c6172; // "plar"

/**
 * `PostgresTokenStore`'s link records: a second table, `<table>_link_records` (key primary key,
 * value, expires_at). Set-if-absent is one `INSERT … ON CONFLICT … WHERE` (a row past its
 * `expires_at` counts as absent and is replaced), compare-and-set one `UPDATE … WHERE value = $`.
 */
export class PostgresLinkRecords {
  readonly #table: string;
  readonly #run: Run;

  constructor(table: string, run: Run) {
    const parts = table.split('.');
    const last = `${(parts.pop() as string).slice(0, 50)}_link_records`;
    this.#table = quoteTableName([...parts, last].join('.')).quoted;
    this.#run = run;
  }

  /** The statement that creates the table if missing (run by `ensureSchema`). */
  async ensureSchema(): Promise<void> {
    await this.#run(
      'Creating the link-records table',
      `DO $plaid_facade$ BEGIN
  PERFORM pg_advisory_xact_lock(${schemaLockKey});
  CREATE TABLE IF NOT EXISTS ${this.#table} (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    expires_at timestamptz
  );
END $plaid_facade$`,
      [],
    );
  }

  /** The live record under `key`, if any. */
  async get(key: string): Promise<LinkRecord | undefined> {
    checkLinkRecord(key);
    const { rows } = await this.#run(
      'Reading a link record',
      `SELECT value, expires_at FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [key],
    );
    const row = rows[0] as { value?: unknown; expires_at?: unknown } | undefined;
    if (typeof row?.value !== 'string') return undefined;
    return { key, value: row.value, expiresAt: dateOf(row.expires_at) };
  }

  /** Writes when `expected` holds (see `TokenStore.setLinkRecord`). */
  async set(record: LinkRecord, expected?: string | null): Promise<boolean> {
    checkLinkRecord(record.key, record.value);
    const values = [record.key, record.value, record.expiresAt ?? null];
    if (expected === null) {
      const { rowCount } = await this.#run(
        'Claiming a link record',
        `INSERT INTO ${this.#table} AS t (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
         WHERE t.expires_at IS NOT NULL AND t.expires_at <= now()`,
        values,
      );
      return rowCount === 1;
    }
    if (typeof expected === 'string') {
      const { rowCount } = await this.#run(
        'Updating a link record',
        `UPDATE ${this.#table} SET value = $2, expires_at = $3
         WHERE key = $1 AND value = $4 AND (expires_at IS NULL OR expires_at > now())`,
        [...values, expected],
      );
      return rowCount === 1;
    }
    await this.#run(
      'Writing a link record',
      `INSERT INTO ${this.#table} (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      values,
    );
    return true;
  }

  /** Deletes when `expected` (if given) is the value. */
  async delete(key: string, expected?: string): Promise<boolean> {
    checkLinkRecord(key);
    const { rowCount } =
      expected === undefined
        ? await this.#run(
            'Deleting a link record',
            `DELETE FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())`,
            [key],
          )
        : await this.#run(
            'Deleting a link record',
            `DELETE FROM ${this.#table} WHERE key = $1 AND value = $2 AND (expires_at IS NULL OR expires_at > now())`,
            [key, expected],
          );
    return rowCount === 1;
  }
}

function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'string') return new Date(value);
  return undefined;
}
