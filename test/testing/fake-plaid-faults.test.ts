import { describe, expect, it } from 'vitest';
import { createFakePlaid } from '../../src/testing/index.js';
import { useFakePlaid } from '../support/fake-facades.js';
import { linkBody, post } from '../support/fake-plaid-client.js';

// listening before the tests, reset after each, closed after all
const served = useFakePlaid();
const { fake } = served;

async function accessToken(): Promise<string> {
  const answer = await post(served.url, '/item/public_token/exchange', { public_token: fake.createPublicToken() });
  return answer.body.access_token as string;
}

describe('failNext with an error code', () => {
  it.each([
    ['INTERNAL_SERVER_ERROR', 'API_ERROR', 500],
    ['PLANNED_MAINTENANCE', 'API_ERROR', 503],
    ['INSTITUTION_DOWN', 'INSTITUTION_ERROR', 400],
    ['INSTITUTION_NOT_RESPONDING', 'INSTITUTION_ERROR', 400],
    ['ITEM_LOGIN_REQUIRED', 'ITEM_ERROR', 400],
  ])('%s answers %s with HTTP %i', async (code, type, status) => {
    const token = await accessToken();
    fake.failNext('/accounts/balance/get', code);
    const answer = await post(served.url, '/accounts/balance/get', { access_token: token });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error_type: type, error_code: code, status });
    expect(answer.body.documentation_url).toMatch(/^https:\/\/plaid\.com\/docs\/errors\//);
  });

  it("RATE_LIMIT_EXCEEDED uses the endpoint's code and HTTP 429", async () => {
    const token = await accessToken();
    fake.failNext('/accounts/balance/get', 'RATE_LIMIT_EXCEEDED');
    fake.failNext('/item/remove', 'RATE_LIMIT_EXCEEDED');
    const balance = await post(served.url, '/accounts/balance/get', { access_token: token });
    expect(balance.status).toBe(429);
    expect(balance.body).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'ACCOUNTS_BALANCE_GET_LIMIT' });
    const remove = await post(served.url, '/item/remove', { access_token: token });
    expect(remove.body).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
  });

  it('applies to the next `times` calls, then the endpoint works again', async () => {
    fake.failNext('/link/token/create', 'INTERNAL_SERVER_ERROR', { times: 2 });
    const statuses: number[] = [];
    for (let index = 0; index < 3; index += 1)
      statuses.push((await post(served.url, '/link/token/create', linkBody)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("'*' applies to any endpoint", async () => {
    fake.failNext('*', 'PLANNED_MAINTENANCE');
    expect((await post(served.url, '/link/token/create', linkBody)).status).toBe(503);
  });

  it('completes a partial error body', async () => {
    fake.failNext('/link/token/create', { error_type: 'INVALID_REQUEST', error_code: 'SOMETHING_NEW', status: 400 });
    const answer = await post(served.url, '/link/token/create', linkBody);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error_type: 'INVALID_REQUEST',
      error_code: 'SOMETHING_NEW',
      display_message: null,
    });
    expect(typeof answer.body.request_id).toBe('string');
  });

  it('refuses an error code it does not know, at once', () => {
    expect(() => fake.failNext('/link/token/create', 'INTERNAL_SERVER_EROR')).toThrow(/unknown fault/);
  });
});

describe('failNext with a special fault', () => {
  it("'network' drops the connection and does not carry the request out", async () => {
    const publicToken = fake.createPublicToken();
    fake.failNext('/item/public_token/exchange', 'network');
    await expect(post(served.url, '/item/public_token/exchange', { public_token: publicToken })).rejects.toThrow();
    const retry = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
    expect(retry.status).toBe(200);
  });

  it("'processed-then-dropped' carries the exchange out, then drops the answer", async () => {
    const publicToken = fake.createPublicToken();
    fake.failNext('/item/public_token/exchange', 'processed-then-dropped');
    await expect(post(served.url, '/item/public_token/exchange', { public_token: publicToken })).rejects.toThrow();
    const retry = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
    expect(retry.body.error_code).toBe('INVALID_PUBLIC_TOKEN');
    expect(fake.calls.map((call) => call.status)).toEqual([undefined, 400]);
  });

  it("'non-json' answers 200 with HTML", async () => {
    fake.failNext('/link/token/create', 'non-json');
    const response = await fetch(`${served.url}/link/token/create`, {
      method: 'POST',
      headers: { 'PLAID-CLIENT-ID': 'c', 'PLAID-SECRET': 's', 'content-type': 'application/json' },
      body: JSON.stringify(linkBody),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<html>');
  });

  it("'bad-schema' answers 200 with a body that breaks the schema", async () => {
    const token = await accessToken();
    fake.failNext('/accounts/balance/get', 'bad-schema');
    const answer = await post(served.url, '/accounts/balance/get', { access_token: token });
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('item');
    expect(typeof (answer.body.accounts as Array<{ balances: { current: unknown } }>)[0]?.balances.current).toBe(
      'string',
    );
  });

  it('{ latencyMs } delays the answer, which then is normal', async () => {
    fake.failNext('/link/token/create', { latencyMs: 20 });
    expect((await post(served.url, '/link/token/create', linkBody)).status).toBe(200);
  });

  it('{ status, body } answers exactly that', async () => {
    fake.failNext('/item/remove', { status: 502, body: { message: 'bad gateway' } });
    const answer = await post(served.url, '/item/remove', { access_token: 'x' });
    expect(answer).toEqual({ status: 502, body: { message: 'bad gateway' } });
  });
});

describe('rate-limit mode', () => {
  it('answers 429 past the per-client limit', async () => {
    fake.setRateLimit('/link/token/create', { limit: 2, intervalMs: 60_000 });
    const statuses: number[] = [];
    for (let index = 0; index < 3; index += 1)
      statuses.push((await post(served.url, '/link/token/create', linkBody)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('counts per Item with perItem, with the per-Item balance code', async () => {
    fake.setRateLimit('/accounts/balance/get', { limit: 1, intervalMs: 60_000, perItem: true });
    const first = await accessToken();
    const second = await accessToken();
    expect((await post(served.url, '/accounts/balance/get', { access_token: first })).status).toBe(200);
    expect((await post(served.url, '/accounts/balance/get', { access_token: second })).status).toBe(200);
    const third = await post(served.url, '/accounts/balance/get', { access_token: first });
    expect(third.body).toMatchObject({ status: 429, error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'BALANCE_LIMIT' });
  });

  it('opens a new window once the interval has passed (fake clock)', async () => {
    let now = 0;
    const clocked = createFakePlaid({ now: () => new Date(now) });
    const server = await clocked.listen();
    try {
      clocked.setRateLimit('/link/token/create', { limit: 1, intervalMs: 1000 });
      expect((await post(server.url, '/link/token/create', linkBody)).status).toBe(200);
      expect((await post(server.url, '/link/token/create', linkBody)).status).toBe(429);
      now = 1000;
      expect((await post(server.url, '/link/token/create', linkBody)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('call log', () => {
  it('records endpoint, body without the secret, status, Plaid-Version and error code', async () => {
    await post(served.url, '/link/token/create', { ...linkBody, client_id: 'body-id', secret: 'body-secret' }, {});
    fake.failNext('/item/remove', 'ITEM_LOGIN_REQUIRED');
    await post(served.url, '/item/remove', { access_token: 'access-sandbox-x' });
    const [link, remove] = fake.calls;
    expect(link).toMatchObject({
      endpoint: '/link/token/create',
      status: 200,
      plaidVersion: '2020-09-14',
      clientId: 'body-id',
    });
    expect(link?.body).toMatchObject({ client_name: 'Test App' });
    expect(link?.body).not.toHaveProperty('secret');
    expect(JSON.stringify(fake.calls)).not.toContain('secret"');
    expect(JSON.stringify(fake.calls)).not.toContain('body-secret');
    expect(remove).toMatchObject({ status: 400, errorCode: 'ITEM_LOGIN_REQUIRED', clientId: 'client' });
    expect(fake.callsTo('/item/remove')).toHaveLength(1);
  });

  it('reset() forgets calls, Items and queued faults', async () => {
    fake.createPublicToken();
    fake.failNext('/link/token/create', 'INTERNAL_SERVER_ERROR');
    await post(served.url, '/item/remove', { access_token: 'x' });
    fake.reset();
    expect(fake.calls).toHaveLength(0);
    expect(fake.items).toHaveLength(0);
    expect((await post(served.url, '/link/token/create', linkBody)).status).toBe(200);
  });
});
