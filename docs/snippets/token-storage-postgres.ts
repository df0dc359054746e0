// #region postgres
import pg from 'pg';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
// Without a listener, an idle connection dropped by a PostgreSQL restart crashes the process.
pool.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
const store = new PostgresTokenStore({ pool });
await store.ensureSchema(); // once at start-up; idempotent, safe from many processes at once

// #endregion

// For test/docs/docs-snippets-run.test.ts, which runs this file.
export { pool, store };
