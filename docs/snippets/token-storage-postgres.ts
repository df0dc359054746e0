// #region postgres
import pg from 'pg';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';

const store = new PostgresTokenStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
await store.ensureSchema(); // once at start-up; idempotent, safe from many processes at once
// #endregion
