/**
 * `exchange` checks the store before it spends the public token: a PostgreSQL table that was never
 * created (`ensureSchema()` forgotten) or a Redis that does not answer fails with a typed error
 * naming the fix, and the public token is still unused (the same token works once fixed).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedTokenStore, type TokenStore, TokenStoreError } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';
import { freePort } from '../support/free-port.js';
import { serviceUrl } from '../support/services.js';
import { newKey } from './keys.js';

const { fake, facade } = useFakePlaidFacades();
const pgUrl = serviceUrl('postgres', 'store probe before exchange (PostgreSQL)');

async function refusedBeforeExchange(tokenStore: TokenStore): Promise<{ error: TokenStoreError; publicToken: string }> {
  const publicToken = fake.createPublicToken();
  const error = await facade({ tokenStore, tokenStoreTimeoutMs: 2_000 })
    .exchange({ userId: 'u', publicToken })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenStoreError);
  expect(fake.callsTo('/item/public_token/exchange')).toEqual([]);
  return { error: error as TokenStoreError, publicToken };
}

describe.skipIf(!pgUrl)('PostgreSQL without ensureSchema()', () => {
  let pool: pg.Pool;
  const table = `pf_probe_${randomBytes(6).toString('hex')}`;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  it('fails before the exchange, naming ensureSchema(); the same public token works afterwards', async () => {
    const store = new PostgresTokenStore({ pool, table });
    const wrapped = new EncryptedTokenStore({ store, keys: [newKey('k1')] });
    const { error, publicToken } = await refusedBeforeExchange(wrapped);
    expect(error.message).toContain('ensureSchema()');
    expect(error.message).toContain('not exchanged');
    await store.ensureSchema();
    const { itemId } = await facade({ tokenStore: wrapped }).exchange({ userId: 'u', publicToken });
    expect((await wrapped.get({ userId: 'u', itemId }))?.accessToken).toBe(fake.item(itemId).accessToken);
  });
});

describe('Redis that does not answer', () => {
  it('fails before the exchange, retryable, the token unused', async () => {
    const port = await freePort(); // nothing listens there
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {}); // the refused connection is the point; the probe reports it
    try {
      const { error } = await refusedBeforeExchange(new RedisTokenStore({ client }));
      expect(error.message).toContain('Redis');
      expect(error.retryable).toBe(true);
    } finally {
      client.disconnect();
    }
  });
});

describe('a store without probe()', () => {
  it('is written to directly, as before', async () => {
    const calls: string[] = [];
    const map = new Map<string, Parameters<TokenStore['set']>[0]>();
    const store: TokenStore = {
      get: async (key) => map.get(key.itemId),
      set: async (item) => {
        calls.push('set');
        map.set(item.itemId, item);
      },
      delete: async () => {},
      list: async () => [...map.values()],
    };
    const { itemId } = await facade({ tokenStore: store }).exchange({
      userId: 'u',
      publicToken: fake.createPublicToken(),
    });
    expect(calls[0]).toBe('set');
    expect(map.get(itemId)?.accessToken).toBe(fake.item(itemId).accessToken);
  });
});
