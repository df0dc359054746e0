import { afterEach, describe, expect, it } from 'vitest';
import { createPlaidFacade, PlaidApiError } from '../../src/index.js';
import { sendJson, startRawServer } from '../support/raw-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('redirects', () => {
  it('never follows one: the secret stays with the configured host and the call fails with the status', async () => {
    const elsewhere = await startRawServer((request, response) =>
      sendJson(response, 200, {
        link_token: 'link-x',
        expiration: '2026-01-01T00:00:00Z',
        request_id: 'r',
        seen: request.headers,
      }),
    );
    closers.push(elsewhere.close);
    const plaid = await startRawServer((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/link/token/create` });
      response.end();
    });
    closers.push(plaid.close);
    const facade = createPlaidFacade({ clientId: 'c', secret: 'secret-xyz-123', basePath: plaid.url, retry: false });
    const error = await facade.linkToken({ userId: 'u' }).catch((caught: unknown) => caught);
    await facade.close();
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ status: 307 });
    expect(plaid.requests()).toBe(1);
    expect(elsewhere.requests()).toBe(0);
  });
});
