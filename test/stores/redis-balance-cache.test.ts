import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore } from '../../src/index.js';
import type { CachedBalances } from '../../src/stores/balance-cache.js';
import { RedisBalanceCache } from '../../src/stores/redis.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { serviceUrl } from '../support/services.js';

const url = serviceUrl('redis', 'RedisBalanceCache');

const value: CachedBalances = {
  userId: 'u1',
  itemId: 'item-1',
  requestId: 'req-1',
  fetchedAt: new Date('2026-01-01T00:00:00.000Z'),
  accounts: [
    {
      accountId: 'acc-1',
      name: 'Card',
      officialName: 'Platinum',
      mask: '3333',
      type: 'credit',
      subtype: 'credit card',
      balances: {
        available: null,
        current: 410,
        limit: 2000,
        currency: 'USD',
        isoCurrencyCode: 'USD',
        unofficialCurrencyCode: null,
        lastUpdated: new Date('2025-12-31T23:00:00.000Z'),
      },
    },
  ],
};

describe.skipIf(!url)('RedisBalanceCache against a real Redis', () => {
  let redis: Redis;
  const prefix = `pf-test:balances:${randomUUID()}:`;

  beforeAll(() => {
    redis = new Redis(url as string, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });

  it('gives back what was stored, Dates as Dates, under its prefix with the TTL asked for', async () => {
    const cache = new RedisBalanceCache({ client: redis, prefix });
    await cache.set('u1:item-1', value, 60_000);
    expect(await cache.get('u1:item-1')).toEqual(value);
    expect(cache.keyOf('u1:item-1')).toBe(`${prefix}{u1%3Aitem-1}`);
    const ttl = await redis.pttl(`${prefix}{u1%3Aitem-1}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('misses for a key never stored, one another cache prefix holds, and one that is not its format', async () => {
    const cache = new RedisBalanceCache({ client: redis, prefix });
    const other = new RedisBalanceCache({ client: redis, prefix: `${prefix}other:` });
    await other.set('k', value, 60_000);
    expect(await cache.get('k')).toBeUndefined();
    await redis.set(cache.keyOf('garbage'), '{"v":99}', 'PX', 60_000);
    expect(await cache.get('garbage')).toBeUndefined();
    await redis.set(cache.keyOf('not-json'), 'nope', 'PX', 60_000);
    expect(await cache.get('not-json')).toBeUndefined();
  });

  it('lets Redis drop an entry when its TTL ends', async () => {
    const cache = new RedisBalanceCache({ client: redis, prefix });
    await cache.set('short', value, 1);
    // Redis expires a key with a 1 ms TTL on the first read after that millisecond; poll, bounded.
    let hit = await cache.get('short');
    for (let i = 0; i < 100 && hit; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      hit = await cache.get('short');
    }
    expect(hit).toBeUndefined();
  });
});

describe('RedisBalanceCache options', () => {
  it('refuses a client without get and set', () => {
    expect(() => new RedisBalanceCache({ client: {} as never })).toThrow(TypeError);
  });
});

describe.skipIf(!url)('RedisBalanceCache shared by two facades (two processes of one service)', () => {
  it("serves one facade's live read to the other with maxAgeMs, and bills once", async () => {
    const redis = new Redis(url as string, { maxRetriesPerRequest: 1 });
    const prefix = `pf-test:balances:${randomUUID()}:`;
    const fake = createFakePlaid();
    const server = await fake.listen();
    const store = new MemoryTokenStore();
    const make = () =>
      createPlaidFacade({
        clientId: 'id',
        secret: 'secret',
        basePath: server.url,
        tokenStore: store,
        balanceCache: new RedisBalanceCache({ client: redis, prefix }),
      });
    const [one, two] = [make(), make()];
    try {
      const { itemId } = await one.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
      const live = await one.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
      const cached = await two.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
      expect(live.source).toBe('live');
      expect(cached).toEqual({ ...live, source: 'cache' });
      expect(fake.billedCalls).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
      await server.close();
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    }
  });
});
