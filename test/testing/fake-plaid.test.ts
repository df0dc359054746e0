import { describe, expect, it } from 'vitest';
import { createFakePlaid } from '../../src/testing/index.js';
import { useFakePlaid } from '../support/fake-facades.js';
import { errorKeys, linkBody, post } from '../support/fake-plaid-client.js';

// listening before the tests, reset after each, closed after all
const served = useFakePlaid();
const { fake } = served;

async function exchange(publicToken = fake.createPublicToken()) {
  const answer = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
  return answer.body as { access_token: string; item_id: string };
}

describe('fake Plaid over HTTP: the happy path', () => {
  it('serves on loopback', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates a link token that expires in 4 hours', async () => {
    const answer = await post(served.url, '/link/token/create', linkBody);
    expect(answer.status).toBe(200);
    expect(answer.body.link_token).toMatch(/^link-sandbox-/);
    const expiration = Date.parse(answer.body.expiration as string);
    expect(expiration - Date.now()).toBeGreaterThan(3.9 * 3600_000);
    expect(answer.body.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
  });

  it('exchanges a public token once, then answers INVALID_PUBLIC_TOKEN', async () => {
    const publicToken = fake.createPublicToken();
    const first = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
    expect(first.status).toBe(200);
    expect(first.body.access_token).toMatch(/^access-sandbox-/);
    expect(first.body.item_id).toBe(fake.items[0]?.itemId);
    const second = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_PUBLIC_TOKEN' });
    expect(Object.keys(second.body).sort()).toEqual(errorKeys);
  });

  it("answers balances in Plaid's AccountsGetResponse shape", async () => {
    const { access_token } = await exchange();
    const answer = await post(served.url, '/accounts/balance/get', { access_token });
    expect(answer.status).toBe(200);
    const accounts = answer.body.accounts as Array<Record<string, unknown>>;
    expect(accounts.map((account) => account.subtype)).toEqual(['checking', 'savings', 'credit card']);
    for (const account of accounts) {
      expect(Object.keys(account).sort()).toEqual([
        'account_id',
        'balances',
        'mask',
        'name',
        'official_name',
        'subtype',
        'type',
      ]);
      expect(Object.keys(account.balances as object).sort()).toEqual([
        'available',
        'current',
        'iso_currency_code',
        'last_updated_datetime',
        'limit',
        'unofficial_currency_code',
      ]);
    }
    expect(accounts[2]?.balances).toMatchObject({
      limit: 2000,
      current: 410,
      available: null,
      iso_currency_code: 'USD',
    });
    expect(answer.body.item).toMatchObject({
      webhook: null,
      error: null,
      consent_expiration_time: null,
      update_type: 'background',
      billed_products: ['auth'],
      institution_id: 'ins_109508',
    });
    expect(answer.body.item).toHaveProperty('available_products');
  });

  it('filters by account_ids and rejects an unknown one with INVALID_ACCOUNT_ID', async () => {
    const { access_token, item_id } = await exchange();
    const savings = fake.item(item_id).accounts[1]?.account_id ?? '';
    const filtered = await post(served.url, '/accounts/balance/get', {
      access_token,
      options: { account_ids: [savings] },
    });
    expect((filtered.body.accounts as unknown[]).length).toBe(1);
    const unknown = await post(served.url, '/accounts/balance/get', {
      access_token,
      options: { account_ids: ['nope'] },
    });
    expect(unknown.body).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_ACCOUNT_ID', status: 400 });
  });

  it('reflects setBalance, and keeps an unofficial currency only when seeded so', async () => {
    const publicToken = fake.createPublicToken({
      accounts: [{ name: 'Wallet', type: 'other', balances: { current: 1.5, unofficial_currency_code: 'BTC' } }],
    });
    const { access_token, item_id } = await exchange(publicToken);
    const accountId = fake.item(item_id).accounts[0]?.account_id ?? '';
    fake.setBalance(accountId, { current: 2.25 });
    const answer = await post(served.url, '/accounts/balance/get', { access_token });
    expect((answer.body.accounts as Array<{ balances: unknown }>)[0]?.balances).toMatchObject({
      current: 2.25,
      iso_currency_code: null,
      unofficial_currency_code: 'BTC',
    });
  });

  it('invalidates the access token after /item/remove', async () => {
    const { access_token, item_id } = await exchange();
    expect((await post(served.url, '/item/remove', { access_token })).status).toBe(200);
    expect(fake.item(item_id).removed).toBe(true);
    const after = await post(served.url, '/accounts/balance/get', { access_token });
    expect(after.body).toMatchObject({ error_code: 'INVALID_ACCESS_TOKEN', status: 400 });
  });

  it('creates public tokens through /sandbox/public_token/create', async () => {
    const answer = await post(served.url, '/sandbox/public_token/create', {
      institution_id: 'ins_109508',
      initial_products: ['auth'],
    });
    expect(answer.status).toBe(200);
    const exchanged = await exchange(answer.body.public_token as string);
    expect(exchanged.item_id).toBe(fake.items[0]?.itemId);
  });
});

describe('fake Plaid over HTTP: requests Plaid would refuse', () => {
  it('needs credentials, from headers or the body', async () => {
    const none = await post(served.url, '/link/token/create', linkBody, {});
    expect(none.body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS' });
    const inBody = await post(served.url, '/link/token/create', { ...linkBody, client_id: 'c', secret: 's' }, {});
    expect(inBody.status).toBe(200);
  });

  it('checks the credentials when configured with them', async () => {
    const strict = createFakePlaid({ clientId: 'right-id', secret: 'right-secret' });
    const server = await strict.listen();
    try {
      const wrong = await post(server.url, '/link/token/create', linkBody, {
        'PLAID-CLIENT-ID': 'right-id',
        'PLAID-SECRET': 'wrong',
      });
      expect(wrong.body).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS', status: 400 });
      const right = await post(server.url, '/link/token/create', linkBody, {
        'PLAID-CLIENT-ID': 'right-id',
        'PLAID-SECRET': 'right-secret',
      });
      expect(right.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects unknown top-level fields with UNKNOWN_FIELDS', async () => {
    const answer = await post(served.url, '/link/token/create', { ...linkBody, colour: 'blue' });
    expect(answer.body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'UNKNOWN_FIELDS' });
    expect(answer.body.error_message).toContain('colour');
  });

  it('names the missing link token fields', async () => {
    const answer = await post(served.url, '/link/token/create', { user: {}, products: ['auth'] });
    expect(answer.body).toMatchObject({ error_code: 'MISSING_FIELDS' });
    expect(answer.body.error_message).toMatch(/client_name.*language.*country_codes/);
    const noUserId = await post(served.url, '/link/token/create', { ...linkBody, user: {} });
    expect(noUserId.body.error_message).toContain('user.client_user_id');
    const noProducts = await post(served.url, '/link/token/create', { ...linkBody, products: undefined });
    expect(noProducts.body.error_message).toContain('products');
  });

  it('refuses balance as an initial product and empty country_codes with INVALID_FIELD', async () => {
    const balance = await post(served.url, '/link/token/create', { ...linkBody, products: ['balance'] });
    expect(balance.body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD' });
    expect(balance.body.error_message).toContain('not supported as an initial product');
    const noCountry = await post(served.url, '/link/token/create', { ...linkBody, country_codes: [] });
    expect(noCountry.body.error_code).toBe('INVALID_FIELD');
  });

  it('accepts update mode (access_token, no products) only with a live access token', async () => {
    const { access_token } = await exchange();
    const update = await post(served.url, '/link/token/create', { ...linkBody, products: undefined, access_token });
    expect(update.status).toBe(200);
    const bogus = await post(served.url, '/link/token/create', {
      ...linkBody,
      products: undefined,
      access_token: 'access-sandbox-x',
    });
    expect(bogus.body.error_code).toBe('INVALID_ACCESS_TOKEN');
  });

  it('answers INVALID_BODY to a body that is not JSON', async () => {
    const response = await fetch(`${served.url}/item/remove`, {
      method: 'POST',
      body: '{nope',
      headers: { 'PLAID-CLIENT-ID': 'c', 'PLAID-SECRET': 's' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: 'INVALID_BODY' });
  });
});

describe('fake Plaid: clock and institutions', () => {
  it('expires public tokens after 30 minutes', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const clocked = createFakePlaid({ now: () => now });
    const server = await clocked.listen();
    try {
      const publicToken = clocked.createPublicToken();
      now = new Date('2026-01-01T00:30:00Z');
      const answer = await post(server.url, '/item/public_token/exchange', { public_token: publicToken });
      expect(answer.body.error_code).toBe('INVALID_PUBLIC_TOKEN');
    } finally {
      await server.close();
    }
  });

  it('needs min_last_updated_datetime for non-depository accounts at Capital One, not for depository ones', async () => {
    const { access_token } = await exchange(fake.createPublicToken({ institutionId: 'ins_128026' }));
    const without = await post(served.url, '/accounts/balance/get', { access_token });
    expect(without.body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD' });
    const [checking] = (await post(served.url, '/accounts/get', { access_token })).body.accounts as Array<{
      account_id: string;
      type: string;
    }>;
    expect(checking?.type).toBe('depository');
    const depositoryOnly = await post(served.url, '/accounts/balance/get', {
      access_token,
      options: { account_ids: [checking?.account_id] },
    });
    expect(depositoryOnly.status).toBe(200);
    const old = new Date(Date.now() - 3600_000).toISOString();
    const withOld = await post(served.url, '/accounts/balance/get', {
      access_token,
      options: { min_last_updated_datetime: old },
    });
    expect(withOld.status).toBe(200);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const tooNew = await post(served.url, '/accounts/balance/get', {
      access_token,
      options: { min_last_updated_datetime: future },
    });
    expect(tooNew.body).toMatchObject({
      error_type: 'INVALID_RESULT',
      error_code: 'LAST_UPDATED_DATETIME_OUT_OF_RANGE',
    });
  });
});
