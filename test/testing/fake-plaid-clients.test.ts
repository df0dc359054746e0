import { setupServer } from 'msw/node';
import { Configuration, CountryCode, PlaidApi, Products } from 'plaid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakePlaid } from '../../src/testing/index.js';
import { linkBody, post } from '../support/fake-plaid-client.js';

const credentials = { 'PLAID-CLIENT-ID': 'client', 'PLAID-SECRET': 'secret', 'Plaid-Version': '2020-09-14' };

/** The official client, configured as its README says, pointed at `basePath`. */
function officialClient(basePath: string): PlaidApi {
  return new PlaidApi(new Configuration({ basePath, baseOptions: { headers: credentials } }));
}

describe('fake Plaid through msw', () => {
  const fake = createFakePlaid();
  const server = setupServer(...fake.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => fake.reset());
  afterAll(() => server.close());

  it('answers under any base URL, with no server listening', async () => {
    for (const base of ['https://sandbox.plaid.com', 'https://plaid.example.internal/proxy']) {
      const answer = await post(base, '/link/token/create', linkBody);
      expect(answer.status).toBe(200);
      expect(answer.body.link_token).toMatch(/^link-sandbox-/);
    }
  });

  it('shares state with createPublicToken and answers errors as Plaid does', async () => {
    const publicToken = fake.createPublicToken();
    const first = await post('https://sandbox.plaid.com', '/item/public_token/exchange', { public_token: publicToken });
    expect(first.status).toBe(200);
    const second = await post('https://sandbox.plaid.com', '/item/public_token/exchange', {
      public_token: publicToken,
    });
    expect(second.body).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN', status: 400 });
  });

  it("turns 'network' into a network error", async () => {
    fake.failNext('/item/remove', 'network');
    await expect(post('https://sandbox.plaid.com', '/item/remove', { access_token: 'x' })).rejects.toThrow();
  });

  it('is accepted by the official client, end to end', async () => {
    const client = officialClient('https://sandbox.plaid.com');
    const link = await client.linkTokenCreate({
      client_name: 'Test App',
      language: 'en',
      country_codes: [CountryCode.Us],
      user: { client_user_id: 'user-1' },
      products: [Products.Auth],
    });
    expect(link.data.link_token).toMatch(/^link-sandbox-/);
    const sandbox = await client.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Auth],
    });
    const exchange = await client.itemPublicTokenExchange({ public_token: sandbox.data.public_token });
    const balances = await client.accountsBalanceGet({ access_token: exchange.data.access_token });
    expect(balances.data.item.item_id).toBe(exchange.data.item_id);
    expect(balances.data.accounts.map((account) => account.balances.current)).toEqual([110, 210, 410]);
    await client.itemRemove({ access_token: exchange.data.access_token });
    expect(fake.calls.map((call) => call.plaidVersion)).toEqual(Array(5).fill('2020-09-14'));
  });

  it('gives the official client its error body in response.data', async () => {
    const client = officialClient('https://sandbox.plaid.com');
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const failure = await client
      .accountsBalanceGet({ access_token: 'access-sandbox-x' })
      .catch((error: unknown) => error);
    const response = (failure as { response?: { status: number; data: unknown } }).response;
    expect(response?.status).toBe(400);
    expect(response?.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' });
  });
});

describe('fake Plaid through listen(), with the official client', () => {
  const fake = createFakePlaid({ clientId: 'client', secret: 'secret' });
  let url = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ url, close } = await fake.listen());
  });
  afterAll(() => close());

  it('links, exchanges, reads balances and removes the Item', async () => {
    const client = officialClient(url);
    const exchange = await client.itemPublicTokenExchange({ public_token: fake.createPublicToken() });
    const balances = await client.accountsBalanceGet({ access_token: exchange.data.access_token });
    expect(balances.data.accounts).toHaveLength(3);
    expect(balances.data.accounts[2]?.balances.limit).toBe(2000);
    await client.itemRemove({ access_token: exchange.data.access_token });
    expect(fake.item(exchange.data.item_id).removed).toBe(true);
  });

  it('refuses the official client with a wrong secret', async () => {
    const client = new PlaidApi(
      new Configuration({ basePath: url, baseOptions: { headers: { ...credentials, 'PLAID-SECRET': 'nope' } } }),
    );
    const failure = await client.itemRemove({ access_token: 'x' }).catch((error: unknown) => error);
    expect((failure as { response?: { data: unknown } }).response?.data).toMatchObject({
      error_code: 'INVALID_API_KEYS',
    });
  });
});
