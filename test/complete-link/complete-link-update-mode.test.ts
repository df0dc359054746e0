import { describe, expect, it, vi } from 'vitest';
import { MemoryTokenStore } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
const exchanges = () => fake.callsTo('/item/public_token/exchange').length;

/** A facade with one Item whose login broke (Plaid says ITEM_LOGIN_REQUIRED; the store knows it). */
async function brokenItem() {
  const tokenStore = new MemoryTokenStore();
  const plaid = facade({ tokenStore });
  const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
  fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED');
  const read = await plaid.getItem({ userId: 'u1', itemId });
  expect(read.health.status).toBe('login_required');
  const health = async () => (await plaid.listItems({ userId: 'u1' })).find((i) => i.itemId === itemId)?.health;
  return { plaid, tokenStore, itemId, health };
}

describe('completeLink in update mode (linkToken({ userId, itemId }))', () => {
  it('a completed session mends the Item (healthy), exchanges nothing, and says which Item was updated', async () => {
    const { plaid, itemId, health } = await brokenItem();
    const { linkToken } = await plaid.linkToken({ userId: 'u1', itemId });
    const session = fake.finishLinkSession(linkToken);
    expect(session.updatedItemId).toBe(itemId);
    expect(session.successes).toEqual([]);
    const result = await plaid.completeLink({ linkToken });
    expect(result).toEqual({
      userId: 'u1',
      status: 'completed',
      items: [],
      updatedItem: {
        itemId,
        institutionId: 'ins_109508',
        health: { status: 'healthy', since: expect.any(Date) },
        applied: true,
      },
    });
    expect(await health()).toMatchObject({ status: 'healthy' });
    expect(exchanges()).toBe(1); // the original link only
    expect((await plaid.listItems({ userId: 'u1' })).map((i) => i.itemId)).toEqual([itemId]);
    // Plaid's side was repaired too: calls work again, and a second completeLink changes nothing.
    await expect(plaid.getAccounts({ userId: 'u1', itemId })).resolves.toBeDefined();
    const again = await plaid.completeLink({ linkToken });
    expect(again.updatedItem).toMatchObject({ itemId, applied: false, health: { status: 'healthy' } });
    expect(exchanges()).toBe(1);
  });

  it('an exited or unfinished update-mode session leaves the Item as it was', async () => {
    const { plaid, itemId, health } = await brokenItem();
    const { linkToken } = await plaid.linkToken({ userId: 'u1', itemId });
    expect(await plaid.completeLink({ linkToken })).toEqual({ userId: 'u1', status: 'unavailable', items: [] });
    fake.startLinkSession(linkToken);
    expect(await plaid.completeLink({ linkToken })).toEqual({ userId: 'u1', status: 'pending', items: [] });
    fake.finishLinkSession(linkToken, { exit: true });
    expect(await plaid.completeLink({ linkToken })).toEqual({ userId: 'u1', status: 'exited', items: [] });
    expect(await health()).toMatchObject({ status: 'login_required' });
    expect(exchanges()).toBe(1);
  });

  it('the LINK SESSION_FINISHED webhook of an update-mode session mends the Item the same way, once', async () => {
    const { plaid, itemId, health } = await brokenItem();
    const { linkToken } = await plaid.linkToken({ userId: 'u1', itemId });
    const session = fake.finishLinkSession(linkToken);
    // As Plaid sends it for update mode: SUCCESS, no Item added, no public token to exchange.
    expect(session.webhooks.itemAddResults).toEqual([]);
    expect(JSON.parse(session.webhooks.sessionFinished.body)).toMatchObject({ status: 'SUCCESS', public_tokens: [] });
    const handled = await plaid.webhooks.handle(session.webhooks.sessionFinished);
    expect(handled).toMatchObject({
      webhookCode: 'SESSION_FINISHED',
      userId: 'u1',
      applied: true,
      health: { status: 'healthy' },
      link: { userId: 'u1', status: 'completed', items: [], updatedItem: { itemId, applied: true } },
    });
    expect(await health()).toMatchObject({ status: 'healthy' });
    const redelivered = await plaid.webhooks.handle(session.webhooks.sessionFinished);
    expect(redelivered).toMatchObject({ applied: false, link: { updatedItem: { itemId, applied: false } } });
    expect(exchanges()).toBe(1);
  });

  it('a problem the store learnt after the session ended is not overwritten by completing it later', async () => {
    const { plaid, itemId, health } = await brokenItem();
    const { linkToken } = await plaid.linkToken({ userId: 'u1', itemId });
    fake.finishLinkSession(linkToken);
    // Two seconds later Plaid reports a new login problem (webhooks are dated to the second).
    const later = new Date(Date.now() + 2_000);
    fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(later);
      await plaid.webhooks.handle(fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
      const result = await plaid.completeLink({ linkToken });
      expect(result.updatedItem).toMatchObject({ applied: false, health: { status: 'login_required' } });
      expect(await health()).toMatchObject({ status: 'login_required' });
    } finally {
      vi.useRealTimers();
    }
  });
});
