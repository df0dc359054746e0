import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTokenStore, type StoredItem, type TokenStore } from '../../src/index.js';
import { settledWithin } from '../support/settled-within.js';
import { START, type WebhookSetup, webhookSetup } from '../support/webhook-setup.js';

let s: WebhookSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Waits (a bound, not a timing claim) until `condition` holds. */
async function until(condition: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = performance.now() + boundMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached within the bound');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Counts the calls to `endpoint` the facade has started (the fake logs a call only once it answers). */
function watchCalls(endpoint: string) {
  let started = 0;
  const name = 'tracing:plaid-facade:call:start';
  const onStart = (message: unknown) => {
    if ((message as { endpoint?: unknown }).endpoint === endpoint) started += 1;
  };
  diagnostics.subscribe(name, onStart);
  return { started: () => started, stop: () => diagnostics.unsubscribe(name, onStart) };
}

/** A memory store whose next `set` hangs (once armed) until the test lets it through. */
function holdingStore() {
  const memory = new MemoryTokenStore();
  let armed = false;
  let started = false;
  let release: () => void = () => undefined;
  const store: TokenStore = {
    get: (key) => memory.get(key),
    set: async (item: StoredItem) => {
      if (armed) {
        armed = false;
        started = true;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      await memory.set(item);
    },
    delete: (key) => memory.delete(key),
    list: (userId) => memory.list(userId),
    findByItemId: (itemId) => memory.findByItemId(itemId),
  };
  return {
    store,
    memory,
    arm: () => {
      armed = true;
    },
    started: () => started,
    release: () => release(),
  };
}

// Settles long before any bound of the facade (key fetch 4 s, store 5 s): an answer within it is prompt.
const promptMs = 1_000;

describe('webhooks.verify and webhooks.handle take { signal }', () => {
  it('an aborted signal rejects at once with its reason: no key fetched, nothing written', async () => {
    s = await webhookSetup();
    const { itemId } = await s.plaid.exchange({ userId: 'u1', publicToken: s.fake.createPublicToken() });
    const hook = s.fake.webhook('ITEM', 'ERROR', { item_id: itemId });
    const controller = new AbortController();
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(s.plaid.webhooks.verify(hook, { signal: controller.signal })).rejects.toBe(reason);
    await expect(s.plaid.webhooks.handle(hook, { signal: controller.signal })).rejects.toBe(reason);
    expect(s.keyFetches()).toBe(0);
    expect((await s.plaid.listItems({ userId: 'u1' }))[0]?.health).toMatchObject({ status: 'healthy' });
    // Without options (and with a live signal) it works as before.
    await expect(s.plaid.webhooks.handle(hook, { signal: new AbortController().signal })).resolves.toMatchObject({
      applied: true,
      health: { status: 'login_required' },
    });
  });

  it('abort during the key fetch: that caller rejects promptly; another waiter on the same fetch gets its event', async () => {
    s = await webhookSetup();
    const setup = s;
    // The key endpoint answers late: both webhooks (same key) wait on one fetch.
    setup.fake.failNext('/webhook_verification_key/get', { latencyMs: 400 });
    const first = setup.fake.webhook('ITEM', 'ERROR', { item_id: 'item-a' });
    const second = setup.fake.webhook('ITEM', 'LOGIN_REPAIRED', { item_id: 'item-b' });
    const controller = new AbortController();
    const fetches = watchCalls('/webhook_verification_key/get');
    const aborted = setup.plaid.webhooks.verify(first, { signal: controller.signal });
    const other = setup.plaid.webhooks.verify(second);
    await until(() => fetches.started() === 1).finally(fetches.stop);
    const reason = new Error('request closed');
    controller.abort(reason);
    expect(await settledWithin(aborted, promptMs)).toBe(reason);
    await expect(other).resolves.toMatchObject({ webhookCode: 'LOGIN_REPAIRED', itemId: 'item-b' });
    // The fetch was not cancelled: its key is kept, and the aborted webhook verifies from it later.
    await expect(setup.plaid.webhooks.verify(first)).resolves.toMatchObject({ webhookCode: 'ERROR' });
    expect(setup.keyFetches()).toBe(1);
  });

  it('abort while the sole waiter of a key fetch: the reason promptly, with the typed abort of the platform by default', async () => {
    s = await webhookSetup();
    const setup = s;
    setup.fake.failNext('/webhook_verification_key/get', { latencyMs: 400 });
    const controller = new AbortController();
    const fetches = watchCalls('/webhook_verification_key/get');
    const pending = setup.plaid.webhooks.handle(setup.fake.webhook('ITEM', 'ERROR', { item_id: 'item-a' }), {
      signal: controller.signal,
    });
    await until(() => fetches.started() === 1).finally(fetches.stop);
    controller.abort();
    expect(await settledWithin(pending, promptMs)).toMatchObject({ name: 'AbortError' });
  });

  it("abort during handle's store write: rejects promptly, and the write that began finishes (nothing half-written)", async () => {
    const held = holdingStore();
    s = await webhookSetup({ store: held.store });
    const setup = s;
    const { itemId } = await setup.plaid.exchange({ userId: 'u1', publicToken: setup.fake.createPublicToken() });
    // The key is fetched first, so that only the store write is left to wait for.
    await setup.plaid.webhooks.verify(setup.fake.webhook('ITEM', 'WEBHOOK_UPDATE_ACKNOWLEDGED', { item_id: itemId }));
    held.arm();
    const controller = new AbortController();
    const reason = new Error('deadline');
    const pending = setup.plaid.webhooks.handle(setup.fake.webhook('ITEM', 'ERROR', { item_id: itemId }), {
      signal: controller.signal,
    });
    await until(held.started);
    controller.abort(reason);
    expect(await settledWithin(pending, promptMs)).toBe(reason);
    held.release();
    await expect
      .poll(async () => (await held.memory.get({ userId: 'u1', itemId }))?.health)
      .toEqual({ status: 'login_required', since: new Date(START), errorCode: 'ITEM_LOGIN_REQUIRED' });
  });

  it('abort while waiting behind another update of the same Item: that update is never begun', async () => {
    const held = holdingStore();
    s = await webhookSetup({ store: held.store });
    const setup = s;
    const { itemId } = await setup.plaid.exchange({ userId: 'u1', publicToken: setup.fake.createPublicToken() });
    await setup.plaid.webhooks.verify(setup.fake.webhook('ITEM', 'WEBHOOK_UPDATE_ACKNOWLEDGED', { item_id: itemId }));
    held.arm();
    const first = setup.plaid.webhooks.handle(setup.fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
    await until(held.started);
    setup.clock.now = START + 60_000;
    const controller = new AbortController();
    // Aborted once verified (its verification published), i.e. while it waits for the Item's turn.
    let verified = 0;
    const count = () => {
      verified += 1;
    };
    diagnostics.subscribe('plaid-facade:webhook-verification', count);
    const queued = setup.plaid.webhooks.handle(setup.fake.webhook('ITEM', 'LOGIN_REPAIRED', { item_id: itemId }), {
      signal: controller.signal,
    });
    await until(() => verified === 1).finally(() =>
      diagnostics.unsubscribe('plaid-facade:webhook-verification', count),
    );
    controller.abort();
    expect(await settledWithin(queued, promptMs)).toMatchObject({ name: 'AbortError' });
    held.release();
    await expect(first).resolves.toMatchObject({ applied: true });
    // Queued after the aborted one: once it is through, the aborted one has had its turn.
    await setup.plaid.webhooks.handle(setup.fake.webhook('ITEM', 'NEW_ACCOUNTS_AVAILABLE', { item_id: itemId }));
    // The aborted LOGIN_REPAIRED was not applied after the ERROR: Plaid delivers it again.
    expect((await held.memory.get({ userId: 'u1', itemId }))?.health).toMatchObject({ status: 'login_required' });
  });

  it("abort during a LINK webhook's exchange: rejects promptly; the redelivery stores the Item, once", async () => {
    s = await webhookSetup();
    const setup = s;
    const { linkToken } = await setup.plaid.linkToken({ userId: 'u1' });
    const hook = setup.fake.finishLinkSession(linkToken).webhooks.itemAddResults[0];
    if (!hook) throw new Error('no webhook');
    setup.fake.failNext('/item/public_token/exchange', { latencyMs: 400 });
    const exchanges = watchCalls('/item/public_token/exchange');
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = setup.plaid.webhooks.handle(hook, { signal: controller.signal });
    await until(() => exchanges.started() === 1).finally(exchanges.stop);
    controller.abort(reason);
    expect(await settledWithin(pending, promptMs)).toBe(reason);
    // The exchange that began was not cut off: the redelivery gets its Item (one exchange at Plaid).
    const again = await setup.plaid.webhooks.handle(hook);
    expect(again).toMatchObject({ userId: 'u1', link: { status: 'completed', items: [{ newlyExchanged: false }] } });
    expect(await setup.plaid.listItems({ userId: 'u1' })).toHaveLength(1);
    expect(setup.fake.callsTo('/item/public_token/exchange')).toHaveLength(1);
  });
});
