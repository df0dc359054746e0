import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
const exchanges = () => fake.callsTo('/item/public_token/exchange').length;

describe('LINK webhooks', () => {
  it('ITEM_ADD_RESULT delivered three times stores one Item, with its accounts; no token in the result', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    const session = fake.finishLinkSession(linkToken);
    const hook = session.webhooks.itemAddResults[0];
    if (!hook) throw new Error('no webhook');
    const first = await plaid.webhooks.handle(hook);
    const second = await plaid.webhooks.handle(hook);
    const third = await plaid.webhooks.handle(hook);
    expect(first).toMatchObject({
      known: true,
      webhookType: 'LINK',
      webhookCode: 'ITEM_ADD_RESULT',
      userId: 'u1',
      applied: true,
    });
    expect(first.link?.items).toEqual([expect.objectContaining({ newlyExchanged: true, institutionId: 'ins_109508' })]);
    expect([second.applied, third.applied]).toEqual([false, false]);
    expect(exchanges()).toBe(1);
    const items = await tokenStore.list('u1');
    expect(items).toHaveLength(1);
    expect(items[0]?.accounts?.length).toBeGreaterThan(0);
    const publicToken = session.successes[0]?.publicToken as string;
    for (const result of [first, second, third]) expect(JSON.stringify(result)).not.toContain(publicToken);
  });

  it('SESSION_FINISHED EXITED exchanges nothing; EVENTS (no environment) is verified, typed and changes nothing', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    const session = fake.finishLinkSession(linkToken, { exit: true });
    const finished = await plaid.webhooks.handle(session.webhooks.sessionFinished);
    expect(finished).toMatchObject({ webhookCode: 'SESSION_FINISHED', status: 'EXITED', applied: false });
    expect(finished.link).toEqual({ userId: 'u1', status: 'exited', items: [] });
    expect('environment' in session.webhooks.events.payload).toBe(false);
    const events = await plaid.webhooks.handle(session.webhooks.events);
    expect(events).toMatchObject({ known: true, webhookCode: 'EVENTS', userId: 'u1', applied: false });
    if (events.known && events.webhookType === 'LINK' && events.webhookCode === 'EVENTS') {
      expect(events.events.map((e) => e.eventName)).toEqual(['OPEN', 'EXIT']);
    }
    expect(exchanges()).toBe(0);
    expect(await tokenStore.list('u1')).toEqual([]);
  });

  it('a Multi-Item SESSION_FINISHED stores three Items under the user', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1', multiItem: true });
    const session = fake.finishLinkSession(linkToken, {
      items: [{ institutionId: 'ins_109508' }, { institutionId: 'ins_109509' }, { institutionId: 'ins_109511' }],
    });
    const handled = await plaid.webhooks.handle(session.webhooks.sessionFinished);
    expect(handled.link?.items).toHaveLength(3);
    expect(await tokenStore.list('u1')).toHaveLength(3);
    // Every later delivery of the same tokens changes nothing.
    for (const hook of session.webhooks.itemAddResults) expect((await plaid.webhooks.handle(hook)).applied).toBe(false);
    expect(exchanges()).toBe(3);
  });

  it('maps SESSION_FINISHED’s user_id back to the user when the link token is not known here', async () => {
    const plaid = facade({ tokenStore: new MemoryTokenStore() });
    const { linkToken } = await plaid.linkToken({ userId: 'u1', multiItem: true });
    const session = fake.finishLinkSession(linkToken, { items: [{}, { institutionId: 'ins_109509' }] });
    const elsewhere = new MemoryTokenStore();
    const other = facade({ tokenStore: elsewhere });
    await other.users.ensure({ userId: 'u1' });
    const handled = await other.webhooks.handle(session.webhooks.sessionFinished);
    expect(handled.userId).toBe('u1');
    expect(await elsewhere.list('u1')).toHaveLength(2);
  });

  it('browser, webhook and completeLink at once for one token: one exchange, one Item', async () => {
    const tokenStore = new MemoryTokenStore();
    const [a, b, c] = [facade({ tokenStore }), facade({ tokenStore }), facade({ tokenStore })];
    const { linkToken } = await a.linkToken({ userId: 'u1' });
    const session = fake.finishLinkSession(linkToken);
    const success = session.successes[0];
    if (!success) throw new Error('no success');
    const [browser, hook, completed] = await Promise.all([
      a.exchange({ userId: 'u1', publicToken: success.publicToken, metadata: success.metadata }),
      b.webhooks.handle(session.webhooks.sessionFinished),
      c.completeLink({ linkToken }),
    ]);
    expect(hook.link?.items[0]?.itemId).toBe(browser.itemId);
    expect(completed.items[0]?.itemId).toBe(browser.itemId);
    expect(exchanges()).toBe(1);
    expect(await tokenStore.list('u1')).toHaveLength(1);
  });
});
