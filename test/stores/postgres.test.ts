import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import { EncryptedTokenStore } from '../../src/stores/encrypted.js';
import { PostgresTokenStore, type PostgresTokenStoreClient } from '../../src/stores/postgres.js';
import { tokenStoreContract } from '../../src/testing/index.js';
import { serviceUrl } from '../support/services.js';
import { newKey } from './keys.js';

const url = serviceUrl('postgres', 'PostgresTokenStore');
const token = 'access-sandbox-9d3f5b7a-1e2c-4d6f-b8a0-abcdef012345';
const createdAt = new Date('2025-01-02T03:04:05.006Z');

describe.skipIf(!url)('PostgresTokenStore against a real PostgreSQL', () => {
  let pool: pg.Pool;
  // Every store gets its own table (and the schema test its own schema); all dropped at the end.
  const tables: string[] = [];
  const schemas: string[] = [];
  const newTable = () => {
    const table = `pf_test_${randomBytes(6).toString('hex')}`;
    tables.push(table);
    return table;
  };
  const newStore = async (table = newTable()) => {
    const store = new PostgresTokenStore({ pool, table });
    await store.ensureSchema();
    return store;
  };

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 10 });
  });

  afterAll(async () => {
    for (const table of tables) await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  describe('token store contract', () => {
    for (const c of tokenStoreContract(() => newStore())) it(c.name, c.run);
  });

  describe('EncryptedTokenStore over PostgresTokenStore: token store contract', () => {
    const keys = [newKey('k1')];
    for (const c of tokenStoreContract(async () => new EncryptedTokenStore({ store: await newStore(), keys }))) {
      it(c.name, c.run);
    }
  });

  it('ensureSchema creates the table with primary key (user_id, item_id), and is idempotent and concurrency-safe', async () => {
    const table = newTable();
    // Ten processes starting at once: CREATE TABLE IF NOT EXISTS alone can fail here with a
    // duplicate pg_type entry.
    const stores = Array.from({ length: 10 }, () => new PostgresTokenStore({ pool, table }));
    await Promise.all(stores.map((store) => store.ensureSchema()));
    await (stores[0] as PostgresTokenStore).ensureSchema();
    const { rows } = await pool.query(
      `SELECT a.attname FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [`"${table}"`],
    );
    expect(rows.map((row: { attname: string }) => row.attname)).toEqual(['user_id', 'item_id']);
  });

  it('list by user is served by the primary key index', async () => {
    const table = newTable();
    await newStore(table);
    const client = await pool.connect();
    try {
      // With a handful of rows the planner would rightly scan; forbid that to see the index is usable.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query(`EXPLAIN SELECT * FROM "${table}" WHERE user_id = $1`, ['u']);
      expect(rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n')).toContain(`${table}_pkey`);
    } finally {
      client.release();
    }
  });

  it('accepts a schema-qualified table name', async () => {
    const schema = `pf_test_schema_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA "${schema}"`);
    const store = await newStore(`${schema}.Tokens`);
    await store.set({ userId: 'u', itemId: 'i', accessToken: token, createdAt });
    const { rows } = await pool.query(`SELECT item_id FROM "${schema}"."Tokens"`);
    expect(rows).toEqual([{ item_id: 'i' }]);
  });

  it('stores rows as documented; institution_id NULL when absent; upsert keeps one row', async () => {
    const table = newTable();
    const store = await newStore(table);
    await store.set({ userId: 'u', itemId: 'i', accessToken: 'first', institutionId: 'ins_1', createdAt });
    await store.set({ userId: 'u', itemId: 'i', accessToken: token, createdAt });
    const { rows } = await pool.query(
      `SELECT user_id, item_id, access_token, institution_id, created_at FROM "${table}"`,
    );
    expect(rows).toEqual([
      { user_id: 'u', item_id: 'i', access_token: token, institution_id: null, created_at: createdAt },
    ]);
  });

  it('treats a hostile-looking id as plain data (parameterized queries)', async () => {
    const table = newTable();
    const store = await newStore(table);
    const userId = `x'); DROP TABLE "${table}"; --`;
    await store.set({ userId, itemId: "i' OR '1'='1", accessToken: token, createdAt });
    expect(await store.list(userId)).toHaveLength(1);
    expect(await store.list('x')).toEqual([]);
    expect(await store.get({ userId: 'x', itemId: "i' OR '1'='1" })).toBeUndefined();
  });

  it('with EncryptedTokenStore, no row holds the plaintext token', async () => {
    const table = newTable();
    const store = new EncryptedTokenStore({ store: await newStore(table), keys: [newKey('k1')] });
    await store.set({ userId: 'u1', itemId: 'i1', accessToken: token, createdAt });
    const { rows } = await pool.query(`SELECT * FROM "${table}"`);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].access_token).toMatch(/^pfenc:v1:k1:/);
    expect((await store.get({ userId: 'u1', itemId: 'i1' }))?.accessToken).toBe(token);
  });

  it('with EncryptedTokenStore, a row moved to another user or Item does not decrypt', async () => {
    const table = newTable();
    const store = new EncryptedTokenStore({ store: await newStore(table), keys: [newKey('k1')] });
    await store.set({ userId: 'victim', itemId: 'i1', accessToken: token, createdAt });
    await pool.query(`UPDATE "${table}" SET user_id = 'attacker'`);
    await expect(store.get({ userId: 'attacker', itemId: 'i1' })).rejects.toMatchObject({
      code: 'TOKEN_DECRYPT_FAILED',
    });
    await pool.query(`UPDATE "${table}" SET user_id = 'victim', item_id = 'i2'`);
    await expect(store.get({ userId: 'victim', itemId: 'i2' })).rejects.toMatchObject({ code: 'TOKEN_DECRYPT_FAILED' });
  });

  it('with EncryptedTokenStore, reencrypt rewrites rows under the new key', async () => {
    const table = newTable();
    const inner = await newStore(table);
    const oldKey = newKey('old');
    await new EncryptedTokenStore({ store: inner, keys: [oldKey] }).set({
      userId: 'u',
      itemId: 'i',
      accessToken: token,
      createdAt,
    });
    const rotated = new EncryptedTokenStore({ store: inner, keys: [newKey('new'), oldKey] });
    expect(await rotated.reencrypt('u')).toEqual({ rewritten: 1, failed: [] });
    const { rows } = await pool.query(`SELECT access_token FROM "${table}"`);
    expect(rows[0].access_token).toMatch(/^pfenc:v1:new:/);
  });

  it('ensureSchema migrates a table made by 0.1 without losing rows; the rows read as before and gain health', async () => {
    const table = newTable();
    // The exact DDL and writes of plaid-facade 0.1's ensureSchema() and set().
    await pool.query(`CREATE TABLE IF NOT EXISTS "${table}" (
    user_id        text        NOT NULL,
    item_id        text        NOT NULL,
    access_token   text        NOT NULL,
    institution_id text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, item_id)
  )`);
    const insert = `INSERT INTO "${table}" (user_id, item_id, access_token, institution_id, created_at)
       VALUES ($1, $2, $3, $4, $5)`;
    await pool.query(insert, ['u1', 'item-a', token, 'ins_1', createdAt.toISOString()]);
    await pool.query(insert, ['u1', 'item-b', token, null, createdAt.toISOString()]);
    await pool.query(insert, ['u2', 'item-c', token, 'ins_2', createdAt.toISOString()]);

    const store = new PostgresTokenStore({ pool, table });
    // Before the migration a 0.2 read says what to do.
    await expect(store.list('u1')).rejects.toThrow(/call ensureSchema\(\) once/);
    // Two processes upgrading at once, then a restart.
    await Promise.all([store.ensureSchema(), new PostgresTokenStore({ pool, table }).ensureSchema()]);
    await store.ensureSchema();

    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
    expect(rows[0].n).toBe(3);
    expect(await store.get({ userId: 'u1', itemId: 'item-a' })).toEqual({
      userId: 'u1',
      itemId: 'item-a',
      accessToken: token,
      institutionId: 'ins_1',
      createdAt,
    });
    expect((await store.list('u1')).map((item) => item.itemId).sort()).toEqual(['item-a', 'item-b']);
    expect((await store.findByItemId('item-c'))?.userId).toBe('u2');

    const health = { status: 'login_required' as const, since: createdAt, errorCode: 'ITEM_LOGIN_REQUIRED' };
    await store.set({ userId: 'u1', itemId: 'item-a', accessToken: token, createdAt, health });
    expect((await store.findByItemId('item-a'))?.health).toEqual(health);

    // findByItemId is served by the new index.
    const client = await pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(`EXPLAIN SELECT * FROM "${table}" WHERE item_id = $1`, ['item-a']);
      expect(plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n')).toMatch(/_item_id/);
    } finally {
      client.release();
    }
  });

  it('says to call ensureSchema when the table is missing', async () => {
    const store = new PostgresTokenStore({ pool, table: newTable() });
    const error = await store
      .set({ userId: 'u', itemId: 'i', accessToken: token, createdAt })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as TokenStoreError).message).toContain('ensureSchema()');
    expect((error as TokenStoreError).cause?.code).toBe('42P01');
    expect(inspect(error, { depth: 10 })).not.toContain(token);
  });
});

describe('PostgresTokenStore without a server', () => {
  const pool: PostgresTokenStoreClient = { query: async () => ({ rows: [] }) };

  it.each(['a;drop', 'a"b', '1abc', 'a.b.c', '', '.a', 'a.', 'x'.repeat(64), 'tab le', 'é'])(
    'rejects the table name %j with InvalidArgumentError',
    (table) => {
      expect(() => new PostgresTokenStore({ pool, table })).toThrow(InvalidArgumentError);
    },
  );

  it('accepts plain and schema-qualified names and sends them quoted', async () => {
    const seen: string[] = [];
    const recording: PostgresTokenStoreClient = {
      query: async (text) => {
        seen.push(text);
        return { rows: [] };
      },
    };
    await new PostgresTokenStore({ pool: recording, table: 'app.Tokens_2' }).list('u');
    await new PostgresTokenStore({ pool: recording }).list('u');
    expect(seen[0]).toContain('FROM "app"."Tokens_2" WHERE user_id = $1');
    expect(seen[1]).toContain('FROM "plaid_facade_tokens" WHERE');
  });

  it('rejects a pool without query', () => {
    expect(() => new PostgresTokenStore({ pool: {} as PostgresTokenStoreClient })).toThrow(InvalidArgumentError);
  });

  it('redacts the token from a driver error that echoes the values', async () => {
    const failing: PostgresTokenStoreClient = {
      query: async (_text, values) => {
        throw Object.assign(new Error(`bad value ${String(values?.[2])}`), { code: '22001', parameters: values });
      },
    };
    const error = await new PostgresTokenStore({ pool: failing })
      .set({ userId: 'u', itemId: 'i', accessToken: token, createdAt })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(`${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`).not.toContain(token);
    expect((error as TokenStoreError).cause?.code).toBe('22001');
  });

  it('reads created_at given as a string (custom pg type parsers) as a Date', async () => {
    const row = { item_id: 'i', access_token: token, institution_id: null, created_at: '2025-01-02 03:04:05.006+00' };
    const store = new PostgresTokenStore({ pool: { query: async () => ({ rows: [row] }) } });
    const item = await store.get({ userId: 'u', itemId: 'i' });
    expect(item?.createdAt).toEqual(createdAt);
    expect(item).not.toHaveProperty('institutionId');
  });
});
