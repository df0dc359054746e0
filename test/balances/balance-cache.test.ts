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
