import { Redis } from 'ioredis';
import pg from 'pg';
import { EncryptedTokenStore, type TokenStore } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { RedisTokenStore } from '../../src/stores/redis.js';

/** Where a linking race keeps its tokens: one shared Redis prefix or PostgreSQL table. */
export interface RaceStoreSpec {
  kind: 'redis' | 'postgres';
  url: string;
  /** A Redis key prefix or a PostgreSQL table name, unique per test. */
  name: string;
  /** A base64 32-byte key: the stores are wrapped in EncryptedTokenStore, as in production. */
  key: string;
}

/** Opens the store of `spec` (its own connection) and a function that closes that connection. */
export async function openRaceStore(spec: RaceStoreSpec): Promise<{ store: TokenStore; close: () => Promise<void> }> {
  const keys = [{ id: 'k1', key: Buffer.from(spec.key, 'base64') }];
  if (spec.kind === 'redis') {
    const client = new Redis(spec.url, { maxRetriesPerRequest: 1 });
    const inner = new RedisTokenStore({ client, prefix: spec.name });
    return { store: new EncryptedTokenStore({ store: inner, keys }), close: async () => void client.disconnect() };
  }
  const pool = new pg.Pool({ connectionString: spec.url, max: 5 });
  const inner = new PostgresTokenStore({ pool, table: spec.name });
  await inner.ensureSchema();
  return { store: new EncryptedTokenStore({ store: inner, keys }), close: () => pool.end() };
}
