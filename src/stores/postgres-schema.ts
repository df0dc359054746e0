/**
 * `PostgresTokenStore`'s table: the one statement of `ensureSchema()` that creates it or brings a
 * table of plaid-facade 0.1 or 0.2 up to date.
 */

// Any constant works as long as every process uses the same one: it serializes ensureSchema().
const schemaLockKey = 0x706c6169; // "plai"

/**
 * The `DO` block that creates the token table, its columns and its `item_id` index when missing.
 * `table` is quoted, `regclass` the same name as a string literal, `itemIndex` the quoted index name.
 */
export function tokenTableSql(table: string, regclass: string, itemIndex: string): string {
  return `DO $plaid_facade$ BEGIN
  PERFORM pg_advisory_xact_lock(${schemaLockKey});
  CREATE TABLE IF NOT EXISTS ${table} (
    user_id        text        NOT NULL,
    item_id        text        NOT NULL,
    access_token   text        NOT NULL,
    institution_id text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    health         jsonb,
    accounts       jsonb,
    details        jsonb,
    PRIMARY KEY (user_id, item_id)
  );
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${regclass}'::regclass
                 AND attname = 'health' AND NOT attisdropped) THEN
    ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS health jsonb;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${regclass}'::regclass
                 AND attname = 'accounts' AND NOT attisdropped) THEN
    ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS accounts jsonb;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${regclass}'::regclass
                 AND attname = 'details' AND NOT attisdropped) THEN
    ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS details jsonb;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = '${regclass}'::regclass AND a.attname = 'item_id') THEN
    CREATE INDEX IF NOT EXISTS ${itemIndex} ON ${table} (item_id);
  END IF;
END $plaid_facade$`;
}
