/**
 * PostgreSQL keeps `getItem`'s details (institution name, creation date, consent) in a `details`
 * jsonb column that `ensureSchema()` adds to a table made by 0.2, every row kept. Until then the
 * store's probe fails before an exchange, naming `ensureSchema()`; afterwards the probe passes on
 * the migrated table as on a new one, and `getItem` → `listItems` works on the migrated rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedTokenStore, TokenStoreError } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';
import { serviceUrl } from '../support/services.js';
import { newKey } from './keys.js';

const url = serviceUrl('postgres', 'PostgresTokenStore details migration');
const { fake, facade } = useFakePlaidFacades();
const createdAt = new Date('2025-01-02T03:04:05.006Z');
const health = { status: 'healthy', since: createdAt.toISOString() };
const accounts = [
  { accountId: 'acc-1', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' },
];

describe.skipIf(!url)('PostgresTokenStore: the details column', () => {
  let pool: pg.Pool;
  const tables: string[] = [];
  const newTable = () => {
    const table = `pf_details_${randomBytes(6).toString('hex')}`;
    tables.push(table);
    return table;
  };

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(async () => {
    for (const table of tables) await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  /** The exact DDL of plaid-facade 0.2's ensureSchema() (without its index), and rows as its set() wrote them. */
  async function tableOf02(rows: Array<[string, string, string]>): Promise<string> {
    const table = newTable();
    await pool.query(`CREATE TABLE IF NOT EXISTS "${table}" (
    user_id        text        NOT NULL,
    item_id        text        NOT NULL,
    access_token   text        NOT NULL,
    institution_id text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    health         jsonb,
    accounts       jsonb,
    PRIMARY KEY (user_id, item_id)
  )`);
    for (const [userId, itemId, accessToken] of rows) {
      await pool.query(
        `INSERT INTO "${table}" (user_id, item_id, access_token, institution_id, created_at, health, accounts)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
        [userId, itemId, accessToken, 'ins_109508', createdAt.toISOString(), health, JSON.stringify(accounts)],
      );
    }
    return table;
  }

  it('ensureSchema migrates a 0.2 table: every row kept and read as before, the probe fails before and passes after', async () => {
    const table = await tableOf02([
      ['u1', 'item-a', 'access-sandbox-a'],
      ['u1', 'item-b', 'access-sandbox-b'],
      ['u2', 'item-c', 'access-sandbox-c'],
    ]);
    const store = new PostgresTokenStore({ pool, table });
    const probeError = await store.probe().catch((e: unknown) => e);
    expect(probeError).toBeInstanceOf(TokenStoreError);
    expect((probeError as TokenStoreError).message).toMatch(/call ensureSchema\(\) once/);

    // Two processes upgrading at once, then a restart.
    await Promise.all([store.ensureSchema(), new PostgresTokenStore({ pool, table }).ensureSchema()]);
    await store.ensureSchema();
    await expect(store.probe()).resolves.toBeUndefined();

    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
    expect(rows[0].n).toBe(3);
    expect(await store.get({ userId: 'u1', itemId: 'item-a' })).toEqual({
      userId: 'u1',
      itemId: 'item-a',
      accessToken: 'access-sandbox-a',
      institutionId: 'ins_109508',
      createdAt,
      health: { status: 'healthy', since: createdAt },
      accounts,
    });
    expect((await store.list('u1')).map((item) => item.itemId).sort()).toEqual(['item-a', 'item-b']);
    expect((await store.findByItemId('item-c'))?.userId).toBe('u2');

    // The migrated table keeps the details as a new one does.
    const consent = { expiresAt: new Date('2027-06-01T00:00:00Z'), products: ['auth'], useCases: [], dataScopes: [] };
    const itemCreatedAt = new Date('2024-12-31T23:00:00Z');
    await store.set({
      userId: 'u1',
      itemId: 'item-b',
      accessToken: 'access-sandbox-b',
      createdAt,
      institutionName: 'First Platypus Bank',
      itemCreatedAt,
      consent,
    });
    expect(await store.get({ userId: 'u1', itemId: 'item-b' })).toMatchObject({
      institutionName: 'First Platypus Bank',
      itemCreatedAt,
      consent,
    });
    const stored = await pool.query(`SELECT details FROM "${table}" WHERE item_id = 'item-b'`);
    expect(stored.rows[0].details).toEqual({
      institutionName: 'First Platypus Bank',
      itemCreatedAt: '2024-12-31T23:00:00.000Z',
      consent: { expiresAt: '2027-06-01T00:00:00.000Z', products: ['auth'], useCases: [], dataScopes: [] },
    });
    // A row without details stays NULL, not an empty object.
    const bare = await pool.query(`SELECT details FROM "${table}" WHERE item_id = 'item-a'`);
    expect(bare.rows[0].details).toBeNull();
  });

  it('the probe passes on a new table, and a malformed details value is reported as an unreadable record', async () => {
    const store = new PostgresTokenStore({ pool, table: newTable() });
    await store.ensureSchema();
    await expect(store.probe()).resolves.toBeUndefined();
    await store.set({ userId: 'u', itemId: 'good', accessToken: 'access-sandbox-g', createdAt });
    await store.set({ userId: 'u', itemId: 'bad', accessToken: 'access-sandbox-b', createdAt });
    await pool.query(
      `UPDATE "${tables.at(-1)}" SET details = '{"consent": {"expiresAt": "soon"}}' WHERE item_id = 'bad'`,
    );
    const listed = await store.listRecords('u');
    expect(listed.items.map((item) => item.itemId)).toEqual(['good']);
    expect(listed.unreadable).toMatchObject([{ itemId: 'bad', error: { code: 'TOKEN_RECORD_INVALID' } }]);
  });

  it('getItem → listItems through the facade, on the rows of a migrated 0.2 table (encrypted)', async () => {
    const table = await tableOf02([]);
    const inner = new PostgresTokenStore({ pool, table });
    await inner.ensureSchema();
    const plaid = facade({ tokenStore: new EncryptedTokenStore({ store: inner, keys: [newKey('k1')] }) });
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    const read = await plaid.getItem({ userId: 'u', itemId });
    const [listed] = await plaid.listItems({ userId: 'u' });
    expect(listed).toMatchObject({
      itemId,
      institutionName: 'First Platypus Bank',
      createdAt: read.createdAt,
      consent: read.consent,
    });
    // Not secret, so stored as it is (inside the record, beside the encrypted token).
    const { rows } = await pool.query(`SELECT access_token, details FROM "${table}"`);
    expect(rows[0].access_token).toMatch(/^pfenc:v1:k1:/);
    expect(rows[0].details.institutionName).toBe('First Platypus Bank');
  });
});
