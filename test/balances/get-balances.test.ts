import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBalanceCache, MemoryTokenStore, type PlaidFacadeEvent } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
afterEach(() => {
  vi.useRealTimers();
});

/** Holds the next balance answer back until the test has put every concurrent read in place. */
function slowNextRead(): void {
  fake.failNext('/accounts/balance/get', { latencyMs: 100 });
}

describe('getBalances: identical reads under way share one billed call', () => {
  it('two devices asking together cost one call, and each gets its own copy', async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    slowNextRead();
    const [a, b] = await Promise.all([
      plaid.getBalances({ userId: 'u1', itemId }),
      plaid.getBalances({ userId: 'u1', itemId }),
    ]);
    expect(fake.billedCalls).toBe(1);
    expect(a).toEqual(b);
    expect(a.source).toBe('live');
    a.accounts.length = 0;
    expect(b.accounts).toHaveLength(3);
  });

  it('reads that differ in accountIds or minLastUpdated are not shared', async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const checking = fake.item(itemId).accounts[0]?.account_id as string;
    slowNextRead();
    await Promise.all([
      plaid.getBalances({ userId: 'u1', itemId }),
      plaid.getBalances({ userId: 'u1', itemId, accountIds: [checking] }),
      plaid.getBalances({ userId: 'u1', itemId, minLastUpdated: new Date(0) }),
    ]);
    expect(fake.billedCalls).toBe(3);
  });

  it("one caller's abort ends only its own wait: the call goes on and the other gets the balances", async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    slowNextRead();
    const leaving = new AbortController();
    const first = plaid.getBalances({ userId: 'u1', itemId }, { signal: leaving.signal });
    const second = plaid.getBalances({ userId: 'u1', itemId });
    await new Promise((resolve) => setImmediate(resolve));
    leaving.abort(new Error('the user closed the app'));
    await expect(first).rejects.toThrow('the user closed the app');
    await expect(second).resolves.toMatchObject({ itemId, source: 'live' });
    expect(fake.billedCalls).toBe(1);
  });

  it('a failure is shared by the reads that waited for it, and never served to a later read', async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', {
      error_code: 'INSTITUTION_DOWN',
      status: 400,
      error_type: 'INSTITUTION_ERROR',
    });
    const both = await Promise.allSettled([
      plaid.getBalances({ userId: 'u1', itemId }, { retry: false }),
      plaid.getBalances({ userId: 'u1', itemId }, { retry: false }),
    ]);
    expect(both.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(fake.callsTo('/accounts/balance/get')).toHaveLength(1);
    await expect(plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).resolves.toMatchObject({
      source: 'live',
    });
    expect(fake.billedCalls).toBe(1);
  });

  it('singleFlight: false sends every read', async () => {
    const plaid = facade({ singleFlight: false });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    slowNextRead();
    await Promise.all([plaid.getBalances({ userId: 'u1', itemId }), plaid.getBalances({ userId: 'u1', itemId })]);
    expect(fake.billedCalls).toBe(2);
  });
});

describe('getBalances: maxAgeMs serves a recent read again, honestly', () => {
  it('serves a read younger than maxAgeMs from the cache with its real fetchedAt, then reads live again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const live = await plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
    expect(live.source).toBe('live');
    vi.setSystemTime(new Date('2026-03-01T12:00:59Z'));
    const cached = await plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
    expect(cached).toMatchObject({ source: 'cache', requestId: live.requestId, fetchedAt: live.fetchedAt });
    expect(cached.accounts).toEqual(live.accounts);
    expect(fake.billedCalls).toBe(1);
    // A read that accepts nothing older than "now" goes live; so does one past the age.
    await expect(plaid.getBalances({ userId: 'u1', itemId })).resolves.toMatchObject({ source: 'live' });
    vi.setSystemTime(new Date('2026-03-01T12:01:01Z'));
    await expect(plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).resolves.toMatchObject({
      source: 'live',
    });
    expect(fake.billedCalls).toBe(3);
  });

  it("never serves one user's read to another, nor a read of other accounts", async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const checking = fake.item(itemId).accounts[0]?.account_id as string;
    await plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
    const some = await plaid.getBalances({ userId: 'u1', itemId, accountIds: [checking], maxAgeMs: 60_000 });
    expect(some).toMatchObject({ source: 'live' });
    expect(some.accounts).toHaveLength(1);
    await expect(plaid.getBalances({ userId: 'u2', itemId, maxAgeMs: 60_000 })).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
    });
  });

  it('keeps no failure: a failed read is followed by a live one', async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    await expect(plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).rejects.toMatchObject({
      code: 'ITEM_LOGIN_REQUIRED',
    });
    await expect(plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).resolves.toMatchObject({
      source: 'live',
    });
  });

  it('a failing cache costs a live read, never the call', async () => {
    const broken = {
      get: async () => Promise.reject(new Error('down')),
      set: async () => Promise.reject(new Error('down')),
    };
    const plaid = facade({ balanceCache: broken });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    await expect(plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 })).resolves.toMatchObject({
      source: 'live',
    });
  });

  it('uses the balanceCache given, bounded as configured', async () => {
    const cache = new MemoryBalanceCache({ maxEntries: 1 });
    const plaid = facade({ balanceCache: cache });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    await plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
    expect(cache.size).toBe(1);
  });

  it('refuses a negative or fractional maxAgeMs before any request', async () => {
    const plaid = facade();
    await expect(plaid.getBalances({ userId: 'u1', itemId: 'i', maxAgeMs: -1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(plaid.getBalances({ userId: 'u1', itemId: 'i', maxAgeMs: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('metering: one billed event per billed call', () => {
  it('counts what Plaid bills: live reads, not shared waits, cache hits or /accounts/get', async () => {
    const events: PlaidFacadeEvent[] = [];
    const plaid = facade({ onEvent: (event) => events.push(event) });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    slowNextRead();
    await Promise.all([
      plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 }),
      plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 }),
    ]);
    await plaid.getBalances({ userId: 'u1', itemId, maxAgeMs: 60_000 });
    await plaid.getAccounts({ userId: 'u1', itemId });
    await plaid.getBalances({ userId: 'u1', itemId });
    const billed = events.filter((event) => event.type === 'billed');
    expect(billed).toHaveLength(fake.billedCalls);
    expect(billed).toHaveLength(2);
    expect(billed[0]).toMatchObject({ type: 'billed', endpoint: '/accounts/balance/get' });
  });
});

describe("getAccounts: Plaid's cached balances, free", () => {
  it("answers in getBalances' shape with source 'plaid-cache', and bills nothing", async () => {
    const plaid = facade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    const result = await plaid.getAccounts({ userId: 'u1', itemId });
    expect(result).toMatchObject({ userId: 'u1', itemId, source: 'plaid-cache' });
    expect(result.fetchedAt).toBeInstanceOf(Date);
    expect(result.accounts.map((account) => account.name)).toEqual([
      'Plaid Checking',
      'Plaid Saving',
      'Plaid Credit Card',
    ]);
    expect(fake.billedCalls).toBe(0);
  });

  it('reads the token from the store like getBalances', async () => {
    const plaid = facade({ tokenStore: new MemoryTokenStore() });
    await expect(plaid.getAccounts({ userId: 'u1', itemId: 'nope' })).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
    });
  });
});

describe('metering on the diagnostics channel', () => {
  it('publishes each billed call on plaid-facade:balance-billed, once however many reads shared it', async () => {
    const messages: unknown[] = [];
    const listener = (message: unknown) => messages.push(message);
    diagnostics.subscribe('plaid-facade:balance-billed', listener);
    try {
      const plaid = facade();
      const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
      slowNextRead();
      const [read] = await Promise.all([
        plaid.getBalances({ userId: 'u1', itemId }),
        plaid.getBalances({ userId: 'u1', itemId }),
      ]);
      await plaid.getAccounts({ userId: 'u1', itemId });
      expect(messages).toEqual([{ endpoint: '/accounts/balance/get', requestId: read?.requestId }]);
    } finally {
      diagnostics.unsubscribe('plaid-facade:balance-billed', listener);
    }
  });
});
