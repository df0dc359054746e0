import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, EncryptedTokenStore, MemoryTokenStore, type TokenStore } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { newKey } from '../stores/keys.js';
import { serviceUrl } from '../support/services.js';

// Health is part of the stored Item: a new facade (a restart, another process) over the same store
// sees what a webhook or a call taught the first one, on every shipped store.
const redisUrl = serviceUrl('redis', 'webhook health on RedisTokenStore');
const pgUrl = serviceUrl('postgres', 'webhook health on PostgresTokenStore');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const key = newKey('k1');
const encrypted = (store: TokenStore) => new EncryptedTokenStore({ store, keys: [key] });

const stores: Array<[string, (() => Promise<TokenStore>) | undefined]> = [
  ['MemoryTokenStore', async () => new MemoryTokenStore()],
  ['EncryptedTokenStore over MemoryTokenStore', async () => encrypted(new MemoryTokenStore())],
  ['RedisTokenStore', redisUrl ? async () => new RedisTokenStore({ client: redis(), prefix: prefix() }) : undefined],
  [
    'EncryptedTokenStore over RedisTokenStore',
    redisUrl ? async () => encrypted(new RedisTokenStore({ client: redis(), prefix: prefix() })) : undefined,
  ],
  ['PostgresTokenStore', pgUrl ? () => postgres() : undefined],
  ['EncryptedTokenStore over PostgresTokenStore', pgUrl ? async () => encrypted(await postgres()) : undefined],
];

let redisClient: Redis | undefined;
function redis(): Redis {
  if (!redisClient) {
    const client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    redisClient = client;
    cleanups.push(() => client.quit());
  }
  return redisClient;
}
function prefix(): string {
  const value = `pf-test-webhooks:${randomUUID()}:`;
  cleanups.push(async () => {
    const keys = await redis().keys(`${value}*`);
    if (keys.length > 0) await redis().del(...keys);
  });
  return value;
}
let pool: pg.Pool | undefined;
async function postgres(): Promise<PostgresTokenStore> {
  if (!pool) {
    const created = new pg.Pool({ connectionString: pgUrl, max: 4 });
    pool = created;
    cleanups.push(() => created.end());
  }
  const table = `pf_test_wh_${randomBytes(6).toString('hex')}`;
  const db = pool;
  cleanups.unshift(() => db.query(`DROP TABLE IF EXISTS "${table}"`));
  const store = new PostgresTokenStore({ pool: db, table });
  await store.ensureSchema();
  return store;
}

describe.each(stores)('Item health on %s', (_name, make) => {
  it.skipIf(!make)('survives a new facade over the same store (webhook, then a call, then getItem)', async () => {
    const fake = createFakePlaid();
    const server = await fake.listen();
    cleanups.push(() => server.close());
    const store = await (make as () => Promise<TokenStore>)();
    const facade = () =>
      createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url, tokenStore: store, retry: false });

    const first = facade();
    const { itemId } = await first.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const handled = await first.webhooks.handle(fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
    expect(handled).toMatchObject({ applied: true, userId: 'u1' });
    await first.close();

    const second = facade();
    const [listed] = await second.listItems({ userId: 'u1' });
    expect(listed).toMatchObject({ itemId, health: { status: 'login_required', errorCode: 'ITEM_LOGIN_REQUIRED' } });
    expect(listed?.health.since).toBeInstanceOf(Date);
    expect(listed?.accounts.length).toBeGreaterThan(0);
    // The same webhook delivered again to the new facade changes nothing.
    expect(await second.webhooks.handle(fake.webhook('ITEM', 'ERROR', { item_id: itemId }))).toMatchObject({
      applied: false,
    });
    // A later successful call mends it, and a third facade sees that.
    await second.getBalances({ userId: 'u1', itemId });
    await second.close();
    const third = facade();
    expect((await third.listItems({ userId: 'u1' }))[0]?.health.status).toBe('healthy');
    // The token still works through the store (encrypted stores included).
    expect((await third.getItem({ userId: 'u1', itemId })).health.status).toBe('healthy');
    await third.close();
  });
});
