import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaidEndpoint } from '../../src/events.js';
import { loadOfficialClient, type PlaidRequests, sendRequest } from '../../src/pipeline/official-client.js';
import { sendJson, startRawServer } from '../support/raw-server.js';

// Every endpoint the facade calls: a new one missing here does not compile.
const endpoints = Object.keys({
  '/link/token/create': true,
  '/link/token/get': true,
  '/item/public_token/exchange': true,
  '/accounts/balance/get': true,
  '/accounts/get': true,
  '/item/get': true,
  '/item/remove': true,
  '/item/products/terminate': true,
  '/webhook_verification_key/get': true,
  '/signal/evaluate': true,
  '/signal/decision/report': true,
  '/signal/return/report': true,
  '/user/create': true,
} satisfies Record<PlaidEndpoint, true>) as PlaidEndpoint[];

// Several requests have the same shape (`{ access_token }` for /item/get, /item/remove, …): the
// compiler cannot tell a row that calls the wrong method. The path each request reaches can.
describe("the pipeline's table from endpoint to the official client's method", () => {
  const seen: Array<{ path: string | undefined; body: string }> = [];
  let server: Awaited<ReturnType<typeof startRawServer>>;
  beforeAll(async () => {
    server = await startRawServer((request, response, body) => {
      seen.push({ path: request.url, body });
      sendJson(response, 200, { request_id: 'req-1' });
    });
  });
  afterAll(() => server.close());

  it.each(endpoints)('sends a request for %s to that path, with the request as given', async (endpoint) => {
    const api = await loadOfficialClient({ basePath: server.url, clientId: 'id', secret: 'secret' });
    const request = { marker: endpoint } as unknown as PlaidRequests[typeof endpoint];
    seen.length = 0;
    const controller = new AbortController();
    const answer = await sendRequest(api, endpoint, request, {
      signal: controller.signal,
      maxContentLength: 64 * 1024,
      responseType: 'text',
    });
    expect(answer.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe(endpoint);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ marker: endpoint });
  });
});
