import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ItemKey,
  MemoryTokenStore,
  PlaidApiError,
  type StoredItem,
  type TokenStore,
  TokenStoreError,
} from '../../src/index.js';
import { START, type WebhookSetup, webhookSetup } from '../support/webhook-setup.js';

let s: WebhookSetup;
beforeEach(async () => {
  s = await webhookSetup();
});
afterEach(() => s.close());

const linked = async (userId = 'u1') => {
  const { itemId } = await s.plaid.exchange({ userId, publicToken: s.fake.createPublicToken() });
  return itemId;
};
const healthOf = async (userId: string, itemId: string) =>
  (await s.plaid.listItems({ userId })).find((item) => item.itemId === itemId)?.health;

describe('webhooks.handle', () => {
  it('a new Item is healthy; ERROR marks it login_required; a repeat delivery changes nothing', async () => {
    const itemId = await linked();
    expect(await healthOf('u1', itemId)).toMatchObject({ status: 'healthy' });
    const hook = s.fake.webhook('ITEM', 'ERROR', { item_id: itemId });
    const first = await s.plaid.webhooks.handle(hook);
    expect(first).toMatchObject({ webhookCode: 'ERROR', userId: 'u1', applied: true });
    expect(first.health).toEqual({
      status: 'login_required',
      since: new Date(START),
      errorCode: 'ITEM_LOGIN_REQUIRED',
    });
    const again = await s.plaid.webhooks.handle(hook);
    expect(again).toMatchObject({ applied: false, health: first.health });
    expect(await healthOf('u1', itemId)).toEqual(first.health);
  });

  it('a redelivery Plaid signed again later is still the same event: since stays when the state began', async () => {
    const itemId = await linked();
    await s.plaid.webhooks.handle(s.fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
    s.clock.now = START + 90_000;
    const retry = await s.plaid.webhooks.handle(s.fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
    expect(retry).toMatchObject({ applied: false, health: { status: 'login_required', since: new Date(START) } });
  });

  it('is order-safe: an older event delivered after a newer one does not overwrite it', async () => {
    const itemId = await linked();
    const older = s.fake.webhook('ITEM', 'ERROR', { item_id: itemId });
    s.clock.now = START + 60_000;
    const newer = s.fake.webhook('ITEM', 'LOGIN_REPAIRED', { item_id: itemId });
    // Healthy already: nothing changes, but the store now knows it was still healthy a minute later.
    const fresh = await s.plaid.webhooks.handle(newer);
    expect(fresh).toMatchObject({ applied: false, health: { status: 'healthy', updatedAt: new Date(START + 60_000) } });
    const late = await s.plaid.webhooks.handle(older);
    expect(late).toMatchObject({ applied: false, health: { status: 'healthy' } });
    expect(await healthOf('u1', itemId)).toEqual({
      status: 'healthy',
      since: new Date(START),
      updatedAt: new Date(START + 60_000),
    });
  });

  it('is order-safe when an older and a newer event are handled at the same moment', async () => {
    // A store slow enough that concurrent read-then-write steps would interleave without the per-Item order.
    await s.close();
    const memory = new MemoryTokenStore();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const slow: TokenStore = {
      get: async (key) => {
        await pause();
        return memory.get(key);
      },
      set: async (item) => {
        await pause();
        await memory.set(item);
      },
      delete: (key) => memory.delete(key),
      list: (userId) => memory.list(userId),
      findByItemId: (itemId) => memory.findByItemId(itemId),
    };
    s = await webhookSetup({ store: slow });
    // Which handle reaches the Item first is not the order they were called in: each verifies its
    // signature first, and those finish in any order. So the race runs newest first, oldest first,
    // and with an older ERROR (minute 2) applied before the rest arrive. In every order the newest
    // event (minute 3, LOGIN_REPAIRED) wins: the Item is healthy and the latest time the store
    // knows is that event's. Only `since` differs: minute 0 when the newest reaches a healthy Item
    // first (the older events are then dropped), minute 3 when an older ERROR got there first.
    for (const { before, together } of [
      { before: [], together: [3, 2, 1, 0] },
      { before: [], together: [0, 1, 2, 3] },
      { before: [2], together: [3, 0, 1] },
    ]) {
      s.clock.now = START;
      const itemId = await linked();
      const hooks = [0, 1, 2, 3].map((minute) => {
        s.clock.now = START + minute * 60_000;
        return s.fake.webhook('ITEM', minute % 2 ? 'LOGIN_REPAIRED' : 'ERROR', { item_id: itemId });
      });
      const handle = (minute: number) => s.plaid.webhooks.handle(hooks[minute] as (typeof hooks)[number]);
      for (const minute of before) await handle(minute);
      await Promise.all(together.map(handle));
      const health = await healthOf('u1', itemId);
      const label = `${before.join(',')} then ${together.join(',')} at once`;
      expect(health, label).toMatchObject({ status: 'healthy' });
      expect(health?.updatedAt ?? health?.since, label).toEqual(new Date(START + 3 * 60_000));
    }
  });

  it('maps each ITEM code to the health it means', async () => {
    const itemId = await linked();
    const disconnect = await s.plaid.webhooks.handle(
      s.fake.webhook('ITEM', 'PENDING_DISCONNECT', { item_id: itemId, disconnect_time: '2026-01-22T12:00:00Z' }),
    );
    expect(disconnect.health).toMatchObject({
      status: 'pending_disconnect',
      disconnectAt: new Date('2026-01-22T12:00:00Z'),
    });
    s.clock.now = START + 1_000;
    const expiring = await s.plaid.webhooks.handle(
      s.fake.webhook('ITEM', 'PENDING_EXPIRATION', {
        item_id: itemId,
        consent_expiration_time: '2026-02-01T00:00:00Z',
      }),
    );
    expect(expiring.health).toMatchObject({
      status: 'pending_expiration',
      consentExpiresAt: new Date('2026-02-01T00:00:00Z'),
    });
    s.clock.now = START + 2_000;
    const revoked = await s.plaid.webhooks.handle(
      s.fake.webhook('ITEM', 'USER_PERMISSION_REVOKED', { item_id: itemId }),
    );
    expect(revoked.health).toMatchObject({ status: 'revoked' });
    const news = await s.plaid.webhooks.handle(s.fake.webhook('ITEM', 'NEW_ACCOUNTS_AVAILABLE', { item_id: itemId }));
    expect(news).toMatchObject({ applied: false, health: { status: 'revoked' } });
  });

  it('USER_ACCOUNT_REVOKED drops that account from the stored accounts', async () => {
    const itemId = await linked();
    const stored = (await s.store.get({ userId: 'u1', itemId })) as StoredItem;
    const accounts = [
      { accountId: 'keep', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking' },
      { accountId: 'gone', name: 'Saving', mask: '1111', type: 'depository', subtype: 'savings' },
    ];
    await s.store.set({ ...stored, accounts });
    const hook = s.fake.webhook('ITEM', 'USER_ACCOUNT_REVOKED', { item_id: itemId, account_id: 'gone' });
    expect(await s.plaid.webhooks.handle(hook)).toMatchObject({ applied: true });
    expect((await s.plaid.listItems({ userId: 'u1' }))[0]?.accounts.map((a) => a.accountId)).toEqual(['keep']);
    expect(await s.plaid.webhooks.handle(hook)).toMatchObject({ applied: false });
  });

  it('an Item the store does not hold (removed, another app) is verified and changes nothing', async () => {
    const event = await s.plaid.webhooks.handle(s.fake.webhook('ITEM', 'ERROR', { item_id: 'not-ours' }));
    expect(event).toMatchObject({ webhookCode: 'ERROR', userId: undefined, health: undefined, applied: false });
  });

  it('a store without findByItemId (written for 0.1) gets a clear TokenStoreError', async () => {
    await s.close();
    const inner = new Map<string, StoredItem>();
    const oldStore: TokenStore = {
      get: async (key: ItemKey) => inner.get(key.itemId),
      set: async (item) => void inner.set(item.itemId, item),
      delete: async (key) => void inner.delete(key.itemId),
      list: async () => [...inner.values()],
    };
    s = await webhookSetup({ store: oldStore });
    const error = await s.plaid.webhooks
      .handle(s.fake.webhook('ITEM', 'ERROR', { item_id: 'i' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_UNSUPPORTED' });
    expect(String(error)).toContain('findByItemId');
  });
});

describe('health from the facade’s own calls and getItem', () => {
  it('a balance call failing with ITEM_LOGIN_REQUIRED marks the Item; a later success clears it', async () => {
    const itemId = await linked();
    s.fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED');
    const error = await s.plaid.getBalances({ userId: 'u1', itemId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(await healthOf('u1', itemId)).toMatchObject({ status: 'login_required', errorCode: 'ITEM_LOGIN_REQUIRED' });
    s.fake.setItemError(itemId, null);
    s.clock.now = START + 1_000;
    await s.plaid.getBalances({ userId: 'u1', itemId });
    expect(await healthOf('u1', itemId)).toEqual({ status: 'healthy', since: new Date(START + 1_000) });
  });

  it('a successful call does not clear what only webhooks say (a pending disconnect)', async () => {
    const itemId = await linked();
    await s.plaid.webhooks.handle(s.fake.webhook('ITEM', 'PENDING_DISCONNECT', { item_id: itemId }));
    s.clock.now = START + 1_000;
    await s.plaid.getBalances({ userId: 'u1', itemId });
    expect(await healthOf('u1', itemId)).toMatchObject({ status: 'pending_disconnect' });
  });

  it('getItem reads /item/get and mends health after missed webhooks, both ways', async () => {
    const itemId = await linked();
    s.fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED'); // no webhook reached us
    const broken = await s.plaid.getItem({ userId: 'u1', itemId });
    expect(broken).toMatchObject({ userId: 'u1', itemId, institutionId: 'ins_109508' });
    expect(broken.health).toMatchObject({ status: 'login_required', errorCode: 'ITEM_LOGIN_REQUIRED' });
    expect(await healthOf('u1', itemId)).toEqual(broken.health);
    expect((await s.plaid.listItems({ userId: 'u1' }))[0]?.institutionId).toBe('ins_109508');
    s.fake.setItemError(itemId, null);
    s.clock.now = START + 1_000;
    expect((await s.plaid.getItem({ userId: 'u1', itemId })).health).toEqual({
      status: 'healthy',
      since: new Date(START + 1_000),
    });
    expect(s.fake.callsTo('/item/get')).toHaveLength(2);
  });

  it('listItems reads the store only and never returns a token', async () => {
    const itemId = await linked('u2');
    const calls = s.fake.calls.length;
    const items = await s.plaid.listItems({ userId: 'u2' });
    expect(items).toEqual([
      {
        itemId,
        institutionId: 'ins_109508',
        health: { status: 'healthy', since: new Date(START) },
        accounts: expect.any(Array),
      },
    ]);
    // exchange kept the accounts Plaid listed (ids, names, masks, types), never balances.
    expect(items[0]?.accounts.map((a) => a.name)).toEqual(['Plaid Checking', 'Plaid Saving', 'Plaid Credit Card']);
    expect(Object.keys(items[0]?.accounts[0] ?? {}).sort()).toEqual(['accountId', 'mask', 'name', 'subtype', 'type']);
    expect(JSON.stringify(items)).not.toContain('access-');
    expect(s.fake.calls.length).toBe(calls);
    expect(await s.plaid.listItems({ userId: 'nobody' })).toEqual([]);
  });

  it('linkToken in update mode can ask for account selection (for NEW_ACCOUNTS_AVAILABLE)', async () => {
    const itemId = await linked();
    await s.plaid.linkToken({ userId: 'u1', itemId, update: { accountSelectionEnabled: true } });
    const body = s.fake.callsTo('/link/token/create').at(-1)?.body as Record<string, unknown>;
    expect(body.update).toEqual({ account_selection_enabled: true });
    expect(body.access_token).toMatch(/^access-/);
    await expect(s.plaid.linkToken({ userId: 'u1', update: { accountSelectionEnabled: true } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
