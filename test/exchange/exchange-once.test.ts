import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExchangeInProgressError, MemoryTokenStore, type TokenStore } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();

const exchanges = () => fake.callsTo('/item/public_token/exchange').length;
const claimKey = (publicToken: string) => `claim:${createHash('sha256').update(publicToken).digest('hex')}`;

/** A store with no link records, as a user's own store written for 0.2 would be. */
function storeWithoutLinkRecords(): TokenStore {
  const inner = new MemoryTokenStore();
  return {
    get: (key) => inner.get(key),
    set: (item) => inner.set(item),
    delete: (key) => inner.delete(key),
    list: (userId) => inner.list(userId),
    findByItemId: (itemId) => inner.findByItemId(itemId),
  };
}

describe('exchange: exactly once per public token', () => {
  it('five concurrent exchanges of one token in one facade: one exchange at Plaid, one Item, one newlyExchanged', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const results = await Promise.all(Array.from({ length: 5 }, () => plaid.exchange({ userId: 'u1', publicToken })));
    expect(exchanges()).toBe(1);
    expect(new Set(results.map((r) => r.itemId)).size).toBe(1);
    expect(results.filter((r) => r.newlyExchanged)).toHaveLength(1);
    expect(await tokenStore.list('u1')).toHaveLength(1);
  });

  it('two facades sharing a store (two processes) race: one exchange, both get the Item', async () => {
    const tokenStore = new MemoryTokenStore();
    const [a, b] = [facade({ tokenStore }), facade({ tokenStore })];
    const publicToken = fake.createPublicToken();
    const [first, second] = await Promise.all([
      a.exchange({ userId: 'u1', publicToken }),
      b.exchange({ userId: 'u1', publicToken }),
    ]);
    expect(exchanges()).toBe(1);
    expect(first.itemId).toBe(second.itemId);
    expect([first.newlyExchanged, second.newlyExchanged].sort()).toEqual([false, true]);
    expect(await tokenStore.list('u1')).toHaveLength(1);
  });

  it('a token delivered again later gets the same Item without a call', async () => {
    const plaid = facade();
    const publicToken = fake.createPublicToken();
    const first = await plaid.exchange({ userId: 'u1', publicToken });
    const again = await plaid.exchange({ userId: 'u1', publicToken });
    expect(again).toEqual({ userId: 'u1', itemId: first.itemId, requestId: '', newlyExchanged: false });
    expect(exchanges()).toBe(1);
  });

  it('refuses the same token for another user', async () => {
    const plaid = facade();
    const publicToken = fake.createPublicToken();
    await plaid.exchange({ userId: 'u1', publicToken });
    await expect(plaid.exchange({ userId: 'u2', publicToken })).rejects.toThrow(/already exchanged for another user/);
  });

  it('keeps only a SHA-256 digest of the public token in the claim, and the Item id once done', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken });
    const record = await tokenStore.getLinkRecord(claimKey(publicToken));
    expect(record?.value).toContain(itemId);
    expect(JSON.stringify(record)).not.toContain(publicToken);
    const [item] = await tokenStore.list('u1');
    expect(record?.value).not.toContain(item?.accessToken);
  });

  it('takes over a claim whose holder died (lease run out, no Item)', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const dead = JSON.stringify({ owner: 'dead', leaseUntil: Date.now() - 1, userId: 'u1' });
    await tokenStore.setLinkRecord({ key: claimKey(publicToken), value: dead }, null);
    const result = await plaid.exchange({ userId: 'u1', publicToken });
    expect(result.newlyExchanged).toBe(true);
    expect(exchanges()).toBe(1);
  });

  it('waits for a live claim, bounded by the caller’s signal, and sends nothing', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const live = JSON.stringify({ owner: 'other', leaseUntil: Date.now() + 60_000, userId: 'u1' });
    await tokenStore.setLinkRecord({ key: claimKey(publicToken), value: live }, null);
    const controller = new AbortController();
    const waiting = plaid.exchange({ userId: 'u1', publicToken }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('gave up')), 120);
    await expect(waiting).rejects.toThrow('gave up');
    expect(exchanges()).toBe(0);
  });

  it('a waiter gets the Item once the holder completes the claim', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const key = claimKey(publicToken);
    const live = JSON.stringify({ owner: 'other', leaseUntil: Date.now() + 60_000, userId: 'u1' });
    await tokenStore.setLinkRecord({ key, value: live }, null);
    const waiting = plaid.exchange({ userId: 'u1', publicToken });
    await tokenStore.setLinkRecord({ key, value: JSON.stringify({ ...JSON.parse(live), itemId: 'item-x' }) }, live);
    await expect(waiting).resolves.toMatchObject({ itemId: 'item-x', newlyExchanged: false });
    expect(exchanges()).toBe(0);
  });

  it('a winner that fails releases the claim: the next delivery exchanges', async () => {
    const plaid = facade();
    const publicToken = fake.createPublicToken();
    fake.failNext('/item/public_token/exchange', 'INTERNAL_SERVER_ERROR');
    await expect(plaid.exchange({ userId: 'u1', publicToken })).rejects.toThrow();
    const result = await plaid.exchange({ userId: 'u1', publicToken });
    expect(result.newlyExchanged).toBe(true);
  });

  it('INVALID_PUBLIC_TOKEN after the claim was completed (a taken-over holder finished) reads as the Item', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const key = claimKey(publicToken);
    // Another process exchanged it, then its claim's lease ran out before it wrote the Item id.
    const other = facade({ tokenStore: new MemoryTokenStore() });
    const { itemId } = await other.exchange({ userId: 'u1', publicToken });
    const stale = JSON.stringify({ owner: 'slow', leaseUntil: Date.now() - 1, userId: 'u1' });
    await tokenStore.setLinkRecord({ key, value: stale }, null);
    // It writes the Item id while this facade's exchange is at Plaid.
    fake.failNext('/item/public_token/exchange', { latencyMs: 50 });
    const racing = plaid.exchange({ userId: 'u1', publicToken });
    setTimeout(() => {
      void tokenStore.setLinkRecord({
        key,
        value: JSON.stringify({ owner: 'slow', leaseUntil: 0, userId: 'u1', itemId }),
      });
    }, 10);
    await expect(racing).resolves.toMatchObject({ itemId, newlyExchanged: false });
  });

  it('a store without link records still exchanges once within one facade', async () => {
    const tokenStore = storeWithoutLinkRecords();
    const plaid = facade({ tokenStore });
    const publicToken = fake.createPublicToken();
    const results = await Promise.all([1, 2, 3].map(() => plaid.exchange({ userId: 'u1', publicToken })));
    expect(exchanges()).toBe(1);
    expect(results.filter((r) => r.newlyExchanged)).toHaveLength(1);
  });

  it('ExchangeInProgressError is retryable and says what to do', () => {
    const error = new ExchangeInProgressError(125_000);
    expect(error.code).toBe('EXCHANGE_IN_PROGRESS');
    expect(error.retryable).toBe(true);
  });
});
