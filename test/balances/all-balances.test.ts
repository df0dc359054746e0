import { describe, expect, it, vi } from 'vitest';
import {
  ItemUnavailableError,
  MemoryTokenStore,
  PlaidApiError,
  type PlaidFacade,
  type PlaidFacadeEvent,
} from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();

async function link(plaid: PlaidFacade, userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await plaid.exchange({ userId, publicToken: fake.createPublicToken() })).itemId);
  }
  return ids;
}

describe('getAllBalances: every Item of a user, each on its own', () => {
  it('reports one result per Item and never rejects for one bad Item', async () => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const [good, other] = await link(plaid, 'u1', 2);
    // An Item whose token Plaid no longer knows: its read fails, the others do not.
    await store.set({ userId: 'u1', itemId: 'item-gone', accessToken: 'access-sandbox-gone', createdAt: new Date() });
    const result = await plaid.getAllBalances({ userId: 'u1' });
    expect(result.userId).toBe('u1');
    expect(result.partial).toBe(true);
    const byId = new Map(result.items.map((item) => [item.itemId, item]));
    expect(byId.get(good as string)).toMatchObject({ ok: true, source: 'live' });
    expect(byId.get(other as string)).toMatchObject({ ok: true, source: 'live' });
    const gone = byId.get('item-gone');
    expect(gone?.ok).toBe(false);
    expect(gone && !gone.ok && gone.error).toBeInstanceOf(PlaidApiError);
    expect(result.accounts).toHaveLength(6);
    expect(new Set(result.accounts.map((account) => account.itemId))).toEqual(new Set([good, other]));
  });

  it('is not partial when every Item answered, and empty for a user without Items', async () => {
    const plaid = facade();
    await link(plaid, 'u1', 1);
    await expect(plaid.getAllBalances({ userId: 'u1' })).resolves.toMatchObject({ partial: false });
    await expect(plaid.getAllBalances({ userId: 'nobody' })).resolves.toEqual({
      userId: 'nobody',
      partial: false,
      accounts: [],
      items: [],
    });
  });

  it('reports Items that need the user (login_required, revoked) without calling Plaid for them', async () => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const [broken, revoked, fine] = await link(plaid, 'u1', 3);
    for (const [itemId, status] of [
      [broken, 'login_required'],
      [revoked, 'revoked'],
    ] as const) {
      const stored = await store.get({ userId: 'u1', itemId: itemId as string });
      await store.set({ ...(stored as NonNullable<typeof stored>), health: { status, since: new Date() } });
    }
    const result = await plaid.getAllBalances({ userId: 'u1' });
    expect(fake.callsTo('/accounts/balance/get')).toHaveLength(1);
    const byId = new Map(result.items.map((item) => [item.itemId, item]));
    expect(byId.get(fine as string)?.ok).toBe(true);
    const loginRequired = byId.get(broken as string);
    expect(loginRequired && !loginRequired.ok && loginRequired.error).toBeInstanceOf(ItemUnavailableError);
    expect(loginRequired && !loginRequired.ok && loginRequired.error.code).toBe('ITEM_LOGIN_REQUIRED');
    const gone = byId.get(revoked as string);
    expect(gone && !gone.ok && gone.error.code).toBe('ITEM_REVOKED');
  });

  it('keeps at most `concurrency` attempts with Plaid at once', async () => {
    let inFlight = 0;
    let most = 0;
    const onEvent = (event: PlaidFacadeEvent) => {
      if (event.endpoint !== '/accounts/balance/get') return;
      if (event.type === 'request') most = Math.max(most, ++inFlight);
      if (event.type === 'response' || event.type === 'error') inFlight -= 1;
    };
    const plaid = facade({ onEvent });
    await link(plaid, 'u1', 5);
    fake.failNext('/accounts/balance/get', { latencyMs: 20 }, { times: 5 });
    const result = await plaid.getAllBalances({ userId: 'u1', concurrency: 2 });
    expect(result.partial).toBe(false);
    expect(most).toBe(2);
  });

  it("an Item waiting for its own per-Item limit does not delay another Item's read", async () => {
    const plaid = facade({
      rateLimit: { perItem: { '/accounts/balance/get': { limit: 1, intervalMs: 60_000 } } },
    });
    const [busy, free] = await link(plaid, 'u1', 2);
    await plaid.getBalances({ userId: 'u1', itemId: busy as string }); // its one call this minute
    const controller = new AbortController();
    // the background lane: no bound on waiting (an interactive read would be refused at once, maxWaitMs)
    const all = plaid.getAllBalances(
      { userId: 'u1', concurrency: 1 },
      { signal: controller.signal, lane: 'background' },
    );
    const outcome = all.catch((error: unknown) => error);
    // The free Item is read although the busy one, first or not, waits out its window.
    await vi.waitFor(() => expect(fake.billedCalls).toBe(2), { timeout: 10_000, interval: 10 });
    const reads = fake.callsTo('/accounts/balance/get').map((call) => call.body?.access_token);
    expect(new Set(reads).size).toBe(2);
    controller.abort(new Error('enough'));
    // One signal for all: aborting ends the whole read.
    expect(await outcome).toEqual(new Error('enough'));
    expect(free).toBeDefined();
  });

  it('serves Items from the cache with maxAgeMs', async () => {
    const plaid = facade();
    await link(plaid, 'u1', 2);
    await plaid.getAllBalances({ userId: 'u1', maxAgeMs: 60_000 });
    const again = await plaid.getAllBalances({ userId: 'u1', maxAgeMs: 60_000 });
    expect(again.items.map((item) => item.ok && item.source)).toEqual(['cache', 'cache']);
    expect(fake.billedCalls).toBe(2);
  });

  it('with a signal over more than 10 Items, prints no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const plaid = facade();
      await link(plaid, 'u1', 14);
      const controller = new AbortController();
      const all = await plaid.getAllBalances({ userId: 'u1', concurrency: 2 }, { signal: controller.signal });
      expect(all.items).toHaveLength(14);
      expect(all.partial).toBe(false);
      // Warnings are emitted on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
