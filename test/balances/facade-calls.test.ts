import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  MemoryTokenStore,
  type PlaidFacadeOptions,
  PlaidSchemaError,
  TokenNotFoundError,
} from '../../src/index.js';
import { balanceBody, useScriptedPlaid } from '../support/msw-plaid.js';

const plaid = useScriptedPlaid();

function facade(extra: Partial<PlaidFacadeOptions> = {}) {
  return createPlaidFacade({ clientId: 'client-1', secret: 'secret-xyz-123', rateLimit: false, ...extra });
}

async function linkedFacade(store = new MemoryTokenStore()) {
  const f = facade({ tokenStore: store });
  plaid.script('/item/public_token/exchange', {
    json: { access_token: 'access-sandbox-abc', item_id: 'item-1', request_id: 'req-x' },
  });
  await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
  plaid.seen.length = 0;
  return { f, store };
}

describe('linkToken', () => {
  it('sends Plaid the fields it requires, with credentials and version in headers', async () => {
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    const result = await facade().linkToken({ userId: 'user-1', webhook: 'https://example.com/hook' });
    expect(result).toEqual({
      linkToken: 'link-sandbox-1',
      expiration: new Date('2026-11-25T18:00:00Z'),
      requestId: 'req-1',
    });
    const [request] = plaid.seen;
    expect(request?.path).toBe('/link/token/create');
    expect(request?.headers.get('plaid-version')).toBe('2020-09-14');
    expect(request?.headers.get('plaid-client-id')).toBe('client-1');
    expect(request?.headers.get('plaid-secret')).toBe('secret-xyz-123');
    expect(request?.body).toEqual({
      client_name: 'plaid-facade',
      language: 'en',
      country_codes: ['US'],
      user: { client_user_id: 'user-1' },
      products: ['auth'],
      webhook: 'https://example.com/hook',
    });
  });

  it('in update mode sends the stored access token and no products', async () => {
    const { f } = await linkedFacade();
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-2', expiration: '2026-11-25T18:00:00Z', request_id: 'req-2' },
    });
    await f.linkToken({ userId: 'user-1', itemId: 'item-1', clientName: 'My App', countryCodes: ['US', 'CA'] });
    expect(plaid.seen[0]?.body).toEqual({
      client_name: 'My App',
      language: 'en',
      country_codes: ['US', 'CA'],
      user: { client_user_id: 'user-1' },
      access_token: 'access-sandbox-abc',
    });
  });

  it('in update mode fails with TokenNotFoundError before any request when nothing is stored', async () => {
    await expect(facade().linkToken({ userId: 'user-1', itemId: 'item-404' })).rejects.toBeInstanceOf(
      TokenNotFoundError,
    );
    expect(plaid.seen).toHaveLength(0);
  });
});

describe('exchange', () => {
  it('stores the access token and returns none', async () => {
    const store = new MemoryTokenStore();
    const f = facade({ tokenStore: store });
    plaid.script('/item/public_token/exchange', {
      json: { access_token: 'access-sandbox-abc', item_id: 'item-1', request_id: 'req-x' },
    });
    const result = await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
    expect(result).toEqual({ userId: 'user-1', itemId: 'item-1', requestId: 'req-x', newlyExchanged: true });
    expect(JSON.stringify(result)).not.toContain('access-sandbox-abc');
    expect(plaid.seen[0]?.body).toEqual({ public_token: 'public-sandbox-1' });
    const stored = await store.get({ userId: 'user-1', itemId: 'item-1' });
    expect(stored?.accessToken).toBe('access-sandbox-abc');
    expect(stored?.createdAt).toBeInstanceOf(Date);
  });
});

describe('getBalances', () => {
  it('maps accounts to camelCase with Dates and the currency fallback', async () => {
    const { f } = await linkedFacade();
    const body = balanceBody('item-1');
    (body.accounts as unknown[]).push({
      account_id: 'acc-crypto',
      balances: {
        available: null,
        current: 0.5,
        limit: null,
        iso_currency_code: null,
        unofficial_currency_code: 'BTC',
        last_updated_datetime: '2026-11-25T12:00:00Z',
      },
      mask: null,
      name: 'Wallet',
      official_name: null,
      type: 'crypto',
      subtype: null,
      persistent_account_id: 'p-2',
    });
    plaid.script('/accounts/balance/get', { json: body });
    const before = Date.now();
    const result = await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    expect(result.userId).toBe('user-1');
    expect(result.itemId).toBe('item-1');
    expect(result.requestId).toBe('req-balance');
    expect(result.fetchedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.accounts).toEqual([
      {
        accountId: 'acc-checking',
        name: 'Plaid Checking',
        officialName: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        balances: {
          available: 100,
          current: 110,
          limit: null,
          currency: 'USD',
          isoCurrencyCode: 'USD',
          unofficialCurrencyCode: null,
          lastUpdated: null,
        },
      },
      {
        accountId: 'acc-crypto',
        name: 'Wallet',
        officialName: null,
        mask: null,
        type: 'crypto',
        subtype: null,
        balances: {
          available: null,
          current: 0.5,
          limit: null,
          currency: 'BTC',
          isoCurrencyCode: null,
          unofficialCurrencyCode: 'BTC',
          lastUpdated: new Date('2026-11-25T12:00:00Z'),
        },
      },
    ]);
  });

  it('sends accountIds and minLastUpdated as Plaid options', async () => {
    const { f } = await linkedFacade();
    plaid.script('/accounts/balance/get', { json: balanceBody('item-1') });
    await f.getBalances({
      userId: 'user-1',
      itemId: 'item-1',
      accountIds: ['acc-checking'],
      minLastUpdated: new Date('2026-11-01T00:00:00Z'),
    });
    expect(plaid.seen[0]?.body).toEqual({
      access_token: 'access-sandbox-abc',
      options: { account_ids: ['acc-checking'], min_last_updated_datetime: '2026-11-01T00:00:00.000Z' },
    });
  });

  it('accepts a body without last_updated_datetime (optional at Plaid)', async () => {
    const { f } = await linkedFacade();
    const body = balanceBody('item-1');
    const first = body.accounts[0] as { balances: Record<string, unknown> };
    delete first.balances.last_updated_datetime;
    plaid.script('/accounts/balance/get', { json: body });
    const result = await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    expect(result.accounts[0]?.balances.lastUpdated).toBeNull();
  });

  it("never reaches another user's Item", async () => {
    const { f } = await linkedFacade();
    await expect(f.getBalances({ userId: 'user-2', itemId: 'item-1' })).rejects.toBeInstanceOf(TokenNotFoundError);
    expect(plaid.seen).toHaveLength(0);
  });

  it('refuses balances that Plaid reports for a different Item', async () => {
    const { f } = await linkedFacade();
    plaid.script('/accounts/balance/get', { json: balanceBody('item-other') });
    await expect(f.getBalances({ userId: 'user-1', itemId: 'item-1' })).rejects.toBeInstanceOf(PlaidSchemaError);
  });
});

describe('removeItem', () => {
  it('removes the Item at Plaid, then its token from the store', async () => {
    const { f, store } = await linkedFacade();
    plaid.script('/item/products/terminate', { json: { request_id: 'req-rm' } });
    await expect(f.removeItem({ userId: 'user-1', itemId: 'item-1' })).resolves.toEqual({
      userId: 'user-1',
      itemId: 'item-1',
      requestId: 'req-rm',
    });
    expect(plaid.seen.map((r) => r.path)).toEqual(['/item/products/terminate']);
    expect(plaid.seen[0]?.body).toEqual({ access_token: 'access-sandbox-abc', reason_code: 'USER_OFFBOARDING' });
    expect(await store.get({ userId: 'user-1', itemId: 'item-1' })).toBeUndefined();
  });
});

describe('options', () => {
  it('sends requests through the PlaidApi the user passes', async () => {
    const { Configuration, PlaidApi } = await import('plaid');
    const plaidApi = new PlaidApi(
      new Configuration({
        basePath: 'https://sandbox.plaid.com',
        baseOptions: { headers: { 'PLAID-CLIENT-ID': 'own-client', 'PLAID-SECRET': 'own-secret', 'X-Trace': 'mine' } },
      }),
    );
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    await facade({ plaidApi }).linkToken({ userId: 'user-1' });
    expect(plaid.seen[0]?.headers.get('x-trace')).toBe('mine');
    expect(plaid.seen[0]?.headers.get('plaid-client-id')).toBe('own-client');
    expect(plaid.seen[0]?.headers.get('plaid-version')).toBe('2020-09-14');
  });

  it('keeps working when an onEvent listener throws', async () => {
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    const f = facade({
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await expect(f.linkToken({ userId: 'user-1' })).resolves.toMatchObject({ linkToken: 'link-sandbox-1' });
  });
});
