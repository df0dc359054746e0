import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, EncryptedTokenStore, MemoryTokenStore, TokenStoreError } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { useFakePlaid } from '../support/fake-facades.js';
import { serviceUrl } from '../support/services.js';

// Issue #21: "one bad record fails the whole user". One unreadable record is one failed Item.
const served = useFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
const { fake } = served;

/** A user with one Item whose key was dropped (institution ins_109508) and one readable Item. */
async function userWithOneBadRecord() {
  const inner = new MemoryTokenStore();
  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };
  const before = createPlaidFacade({
    clientId: 'id',
    secret: 'secret-xyz-123',
    basePath: served.url,
    tokenStore: new EncryptedTokenStore({ store: inner, keys: [oldKey] }),
  });
  const link = fake.completeLink({ institutionId: 'ins_109508' });
  const { itemId: badItemId } = await before.exchange({
    userId: 'u',
    publicToken: link.publicToken,
    metadata: link.metadata,
  });
  await before.close();
  const store = new EncryptedTokenStore({ store: inner, keys: [newKey] });
  const plaid = createPlaidFacade({
    clientId: 'id',
    secret: 'secret-xyz-123',
    basePath: served.url,
    tokenStore: store,
  });
  const other = fake.completeLink({ institutionId: 'ins_109509' });
  const { itemId: goodItemId } = await plaid.exchange({
    userId: 'u',
    publicToken: other.publicToken,
    metadata: other.metadata,
  });
  return { plaid, store, badItemId, goodItemId };
}

describe('one unreadable record is one failed Item', () => {
  it('listItems returns the readable Items and reports the unreadable one, typed, with its itemId', async () => {
    const { plaid, badItemId, goodItemId } = await userWithOneBadRecord();
    const listed = await plaid.listItems({ userId: 'u' });
    expect(listed).toHaveLength(2);
    const good = listed.find((item) => item.itemId === goodItemId);
    expect(good).toMatchObject({ institutionId: 'ins_109509', health: { status: 'healthy' } });
    expect(good?.error).toBeUndefined();
    const bad = listed.find((item) => item.itemId === badItemId);
    expect(bad?.error).toBeInstanceOf(TokenStoreError);
    expect(bad).toMatchObject({
      institutionId: null,
      accounts: [],
      health: { status: 'error', errorCode: 'TOKEN_KEY_UNKNOWN' },
      error: { code: 'TOKEN_KEY_UNKNOWN', itemId: badItemId },
    });
    await plaid.close();
  });

  it('getAllBalances marks that Item failed and the call partial, and reads the others', async () => {
    const { plaid, badItemId, goodItemId } = await userWithOneBadRecord();
    const all = await plaid.getAllBalances({ userId: 'u' });
    expect(all.partial).toBe(true);
    const bad = all.items.find((item) => item.itemId === badItemId);
    expect(bad).toMatchObject({ ok: false, error: { code: 'TOKEN_KEY_UNKNOWN' } });
    expect(all.items.find((item) => item.itemId === goodItemId)).toMatchObject({ ok: true, source: 'live' });
    expect(all.accounts.length).toBeGreaterThan(0);
    expect(all.accounts.every((account) => account.itemId === goodItemId)).toBe(true);
    await plaid.close();
  });

  it('the duplicate guard skips it: an exchange with Link metadata works, and a real duplicate is still refused', async () => {
    const { plaid, goodItemId } = await userWithOneBadRecord();
    // The same bank as the unreadable record: that record cannot be used, so it is no duplicate.
    const again = fake.completeLink({ institutionId: 'ins_109508' });
    await expect(
      plaid.exchange({ userId: 'u', publicToken: again.publicToken, metadata: again.metadata }),
    ).resolves.toMatchObject({ userId: 'u' });
    const duplicate = fake.completeLink({ institutionId: 'ins_109509' });
    await expect(
      plaid.exchange({ userId: 'u', publicToken: duplicate.publicToken, metadata: duplicate.metadata }),
    ).rejects.toMatchObject({ code: 'DUPLICATE_ITEM', existingItemId: goodItemId });
    await plaid.close();
  });

  it('reencrypt reports the undecryptable record and moves the rest', async () => {
    const inner = new MemoryTokenStore();
    const dropped = { id: 'dropped', key: randomBytes(32) };
    const old = { id: 'old', key: randomBytes(32) };
    const current = { id: 'current', key: randomBytes(32) };
    const created = { createdAt: new Date() };
    await new EncryptedTokenStore({ store: inner, keys: [dropped] }).set({
      userId: 'u',
      itemId: 'a',
      accessToken: 'access-a',
      ...created,
    });
    await new EncryptedTokenStore({ store: inner, keys: [old] }).set({
      userId: 'u',
      itemId: 'b',
      accessToken: 'access-b',
      ...created,
    });
    const store = new EncryptedTokenStore({ store: inner, keys: [current, old] });
    const result = await store.reencrypt('u');
    expect(result.rewritten).toBe(1);
    expect(result.failed).toEqual([expect.objectContaining({ itemId: 'a', code: 'TOKEN_KEY_UNKNOWN' })]);
    expect(
      await new EncryptedTokenStore({ store: inner, keys: [current] }).get({ userId: 'u', itemId: 'b' }),
    ).toMatchObject({ accessToken: 'access-b' });
  });
});

const pgUrl = serviceUrl('postgres', 'Unparsable PostgreSQL rows');

describe.skipIf(!pgUrl)('an unparsable PostgreSQL row is one failed Item', () => {
  let pool: pg.Pool;
  const table = `pf_test_${randomBytes(6).toString('hex')}`;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: pgUrl, max: 4 });
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  it('listRecords, reencrypt and listItems report the malformed row and keep the rest', async () => {
    const postgres = new PostgresTokenStore({ pool, table });
    await postgres.ensureSchema();
    const old = { id: 'old', key: randomBytes(32) };
    const current = { id: 'current', key: randomBytes(32) };
    const before = new EncryptedTokenStore({ store: postgres, keys: [old] });
    await before.set({ userId: 'u', itemId: 'good', accessToken: 'access-good', createdAt: new Date() });
    await before.set({ userId: 'u', itemId: 'broken', accessToken: 'access-broken', createdAt: new Date() });
    // A row damaged by hand: its health is not a plaid-facade health.
    await pool.query(`UPDATE "${table}" SET health = '{"status": 42}'::jsonb WHERE item_id = 'broken'`);

    const listed = await postgres.listRecords('u');
    expect(listed.items.map((item) => item.itemId)).toEqual(['good']);
    expect(listed.unreadable).toEqual([
      { itemId: 'broken', error: expect.objectContaining({ code: 'TOKEN_RECORD_INVALID' }) },
    ]);

    const store = new EncryptedTokenStore({ store: postgres, keys: [current, old] });
    const result = await store.reencrypt('u');
    expect(result.rewritten).toBe(1);
    expect(result.failed).toEqual([expect.objectContaining({ itemId: 'broken', code: 'TOKEN_RECORD_INVALID' })]);

    const plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: served.url,
      tokenStore: store,
    });
    const items = await plaid.listItems({ userId: 'u' });
    expect(items.map((item) => [item.itemId, item.error?.code])).toEqual([
      ['good', undefined],
      ['broken', 'TOKEN_RECORD_INVALID'],
    ]);
    await plaid.close();
  });
});

const redisUrl = serviceUrl('redis', 'Unparsable Redis records');

describe.skipIf(!redisUrl)('an unparsable Redis record is one failed Item', () => {
  let client: Redis;
  const prefix = `pf-test-${randomBytes(6).toString('hex')}:`;
  beforeAll(() => {
    client = new Redis(redisUrl ?? '', { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  it('listRecords and listItems report the malformed record and keep the rest', async () => {
    const redis = new RedisTokenStore({ client, prefix });
    await redis.set({ userId: 'u', itemId: 'good', accessToken: 'access-good', createdAt: new Date() });
    await redis.set({ userId: 'u', itemId: 'broken', accessToken: 'access-broken', createdAt: new Date() });
    // A record damaged by hand: not a plaid-facade token record.
    await client.hset(redis.keyOf('u'), 'broken', '{"v": 1, "accessToken": 42}');

    const listed = await redis.listRecords('u');
    expect(listed.items.map((item) => item.itemId)).toEqual(['good']);
    expect(listed.unreadable).toEqual([
      { itemId: 'broken', error: expect.objectContaining({ code: 'TOKEN_RECORD_INVALID' }) },
    ]);
    expect(JSON.stringify(listed.unreadable)).not.toContain('access-broken');

    const plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: served.url,
      tokenStore: redis,
    });
    const items = await plaid.listItems({ userId: 'u' });
    expect(items.map((item) => [item.itemId, item.error?.code])).toEqual([
      ['good', undefined],
      ['broken', 'TOKEN_RECORD_INVALID'],
    ]);
    await plaid.close();
  });
});
