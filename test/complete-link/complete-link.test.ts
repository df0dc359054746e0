import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, MemoryTokenStore } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
const exchanges = () => fake.callsTo('/item/public_token/exchange').length;

describe('linkToken and completeLink', () => {
  it('completes a finished session: exchanges its Item with Link’s metadata, once', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    const session = fake.finishLinkSession(linkToken);
    const result = await plaid.completeLink({ linkToken });
    const [item] = await tokenStore.list('u1');
    expect(result).toEqual({
      userId: 'u1',
      status: 'completed',
      items: [{ itemId: item?.itemId, institutionId: 'ins_109508', newlyExchanged: true }],
    });
    expect(item?.accounts?.map((a) => a.name)).toEqual(session.successes[0]?.metadata.accounts.map((a) => a.name));
    const again = await plaid.completeLink({ linkToken });
    expect(again.items[0]?.newlyExchanged).toBe(false);
    expect(exchanges()).toBe(1);
  });

  it('says pending while the session is open, and unavailable when Plaid reports no session', async () => {
    const plaid = facade();
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    expect((await plaid.completeLink({ linkToken })).status).toBe('unavailable');
    fake.startLinkSession(linkToken);
    expect(await plaid.completeLink({ linkToken })).toEqual({ userId: 'u1', status: 'pending', items: [] });
    const other = (await plaid.linkToken({ userId: 'u2' })).linkToken;
    fake.finishLinkSession(other, { reported: false });
    expect((await plaid.completeLink({ linkToken: other })).status).toBe('unavailable');
    expect(exchanges()).toBe(0);
  });

  it('an exited session exchanges nothing', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    fake.finishLinkSession(linkToken, { exit: true });
    expect(await plaid.completeLink({ linkToken })).toEqual({ userId: 'u1', status: 'exited', items: [] });
    expect(exchanges()).toBe(0);
    expect(await tokenStore.list('u1')).toEqual([]);
  });

  it('Multi-Item Link: ensures Plaid’s user, sends user_id and enable_multi_item_link; three Items stored', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1', multiItem: true });
    const [create] = fake.callsTo('/link/token/create');
    const { plaidUserId } = await plaid.users.ensure({ userId: 'u1' });
    expect(create?.body).toMatchObject({ user_id: plaidUserId, enable_multi_item_link: true });
    expect(fake.callsTo('/user/create')).toHaveLength(1);
    fake.finishLinkSession(linkToken, {
      items: [{ institutionId: 'ins_109508' }, { institutionId: 'ins_109509' }, { institutionId: 'ins_109511' }],
    });
    const result = await plaid.completeLink({ linkToken });
    expect(result.status).toBe('completed');
    expect(result.items).toHaveLength(3);
    expect(await tokenStore.list('u1')).toHaveLength(3);
    expect(exchanges()).toBe(3);
  });

  it('Multi-Item Link: a token that fails leaves the others exchanged; calling again finishes the session', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore, retry: false });
    const { linkToken } = await plaid.linkToken({ userId: 'u1', multiItem: true });
    fake.finishLinkSession(linkToken, {
      items: [{ institutionId: 'ins_109508' }, { institutionId: 'ins_109509' }, { institutionId: 'ins_109511' }],
    });
    fake.failNext('/item/public_token/exchange', 'INTERNAL_SERVER_ERROR');
    await expect(plaid.completeLink({ linkToken })).rejects.toMatchObject({ errorCode: 'INTERNAL_SERVER_ERROR' });
    expect(await tokenStore.list('u1')).toHaveLength(2);
    const again = await plaid.completeLink({ linkToken });
    expect(again.status).toBe('completed');
    expect(again.items.map((item) => item.newlyExchanged).sort()).toEqual([false, false, true]);
    expect(await tokenStore.list('u1')).toHaveLength(3);
  });

  it('the browser’s exchange and completeLink race for one token: one exchange, one Item', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const { linkToken } = await plaid.linkToken({ userId: 'u1' });
    const { successes } = fake.finishLinkSession(linkToken);
    const success = successes[0];
    if (!success) throw new Error('no success');
    const [browser, server] = await Promise.all([
      plaid.exchange({ userId: 'u1', publicToken: success.publicToken, metadata: success.metadata }),
      plaid.completeLink({ linkToken }),
    ]);
    expect(server.items[0]?.itemId).toBe(browser.itemId);
    expect(exchanges()).toBe(1);
    expect(await tokenStore.list('u1')).toHaveLength(1);
  });

  it('hostedLink returns Plaid’s hosted_link_url', async () => {
    const plaid = facade();
    const result = await plaid.linkToken({
      userId: 'u1',
      hostedLink: { completionRedirectUri: 'https://app.example/done' },
    });
    expect(result.hostedLinkUrl).toMatch(/^https:\/\//);
    expect(fake.callsTo('/link/token/create')[0]?.body).toMatchObject({
      hosted_link: { completion_redirect_uri: 'https://app.example/done' },
    });
  });

  it('refuses a link token it did not create', async () => {
    const plaid = facade();
    await expect(plaid.completeLink({ linkToken: 'link-sandbox-unknown' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('users.ensure', () => {
  it('creates once (201), then answers from the store; another facade on the same store makes no call', async () => {
    const tokenStore = new MemoryTokenStore();
    const plaid = facade({ tokenStore });
    const first = await plaid.users.ensure({ userId: 'u1' });
    expect(first.created).toBe(true);
    expect(fake.callsTo('/user/create')[0]?.status).toBe(201);
    const second = await facade({ tokenStore }).users.ensure({ userId: 'u1' });
    expect(second).toEqual({ userId: 'u1', plaidUserId: first.plaidUserId, created: false });
    expect(fake.callsTo('/user/create')).toHaveLength(1);
    // A store that lost the record: Plaid answers 200 with the same user_id.
    const fresh = await facade({ tokenStore: new MemoryTokenStore() }).users.ensure({ userId: 'u1' });
    expect(fresh.plaidUserId).toBe(first.plaidUserId);
    expect(fake.callsTo('/user/create')[1]?.status).toBe(200);
  });
});
