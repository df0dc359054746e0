import { describe, expect, it } from 'vitest';
import { type CachedBalances, MemoryBalanceCache } from '../../src/stores/balance-cache.js';

const read = (requestId: string, lastUpdated: Date | null = null): CachedBalances => ({
  userId: 'u1',
  itemId: 'item-1',
  requestId,
  fetchedAt: new Date('2026-01-01T00:00:00Z'),
  accounts: [
    {
      accountId: 'acc-1',
      name: 'Checking',
      officialName: null,
      mask: '0000',
      type: 'depository',
      subtype: 'checking',
      balances: {
        available: 1,
        current: 2,
        limit: null,
        currency: 'USD',
        isoCurrencyCode: 'USD',
        unofficialCurrencyCode: null,
        lastUpdated,
      },
    },
  ],
});

describe('MemoryBalanceCache byte budget', () => {
  const wide = (requestId: string, accounts: number): CachedBalances => {
    const one = read(requestId);
    return {
      ...one,
      accounts: Array.from({ length: accounts }, () => one.accounts[0] as CachedBalances['accounts'][0]),
    };
  };

  it('evicts the least recently used until the entries fit maxBytes, whatever their count', async () => {
    const cache = new MemoryBalanceCache({ maxBytes: 8_000 });
    await cache.set('small-1', wide('s1', 1), 60_000);
    await cache.set('small-2', wide('s2', 1), 60_000);
    expect(cache.size).toBe(2);
    await cache.get('small-1'); // now the most recently used
    await cache.set('big', wide('b', 10), 60_000);
    expect(cache.bytes).toBeLessThanOrEqual(8_000);
    expect(await cache.get('small-2')).toBeUndefined();
    expect((await cache.get('small-1'))?.requestId).toBe('s1');
    expect((await cache.get('big'))?.accounts).toHaveLength(10);
    // Larger than the whole budget: not kept, and nothing evicted for it.
    await cache.set('huge', wide('h', 100), 60_000);
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('by default keeps the reads of 1,000 users with 2 Items of 2 accounts (no 1,000-entry cap)', async () => {
    const cache = new MemoryBalanceCache();
    for (let i = 0; i < 2_000; i++) await cache.set(`u${i >> 1}:item-${i}`, wide(`r${i}`, 2), 60_000);
    expect(cache.size).toBe(2_000);
    expect((await cache.get('u0:item-0'))?.requestId).toBe('r0');
    expect(() => new MemoryBalanceCache({ maxBytes: 0 })).toThrow(RangeError);
  });
});

describe('MemoryBalanceCache', () => {
  it('gives back what was stored, Dates as Dates, until its TTL ends (on its clock)', async () => {
    let now = 0;
    const cache = new MemoryBalanceCache({ now: () => now });
    await cache.set('k', read('r1', new Date('2026-01-01T00:00:00Z')), 60_000);
    now = 59_999;
    const hit = await cache.get('k');
    expect(hit?.requestId).toBe('r1');
    expect(hit?.fetchedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(hit?.accounts[0]?.balances.lastUpdated).toEqual(new Date('2026-01-01T00:00:00Z'));
    now = 60_000;
    expect(await cache.get('k')).toBeUndefined();
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const cache = new MemoryBalanceCache({ maxEntries: 2 });
    await cache.set('a', read('ra'), 60_000);
    await cache.set('b', read('rb'), 60_000);
    await cache.get('a'); // a is now the most recently used
    await cache.set('c', read('rc'), 60_000);
    expect(cache.size).toBe(2);
    expect((await cache.get('a'))?.requestId).toBe('ra');
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('c'))?.requestId).toBe('rc');
  });

  it('hands out copies: changing a result changes nothing in the cache', async () => {
    const cache = new MemoryBalanceCache();
    const value = read('r1');
    await cache.set('k', value, 60_000);
    value.accounts.length = 0;
    const first = await cache.get('k');
    first?.accounts.pop();
    expect((await cache.get('k'))?.accounts).toHaveLength(1);
  });

  it('stores nothing for a TTL of 0 and refuses a bad maxEntries', async () => {
    const cache = new MemoryBalanceCache();
    await cache.set('k', read('r1'), 0);
    expect(await cache.get('k')).toBeUndefined();
    expect(() => new MemoryBalanceCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
