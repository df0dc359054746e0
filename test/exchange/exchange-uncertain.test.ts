import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PlaidApiError, PlaidFacadeError, type PlaidFacadeEvent, PlaidSchemaError } from '../../src/index.js';
import { facadeOn, sendJson, useRawServers } from '../support/raw-server.js';

// An exchange whose answer was not fully read may still have happened at Plaid: the caller must be
// told the outcome is unknown, the public token remembered, and a readable access token's Item
// removed so that nothing stays billed.
const serve = useRawServers();

const exchanged = { access_token: 'access-sandbox-secret-1', item_id: 'item-1', request_id: 'req-1' };
const invalidPublicToken = {
  error_type: 'INVALID_INPUT',
  error_code: 'INVALID_PUBLIC_TOKEN',
  error_message: 'bad',
  display_message: null,
  request_id: 'r-again',
};

const facade = (basePath: string, events: PlaidFacadeEvent[] = []) => facadeOn(basePath, { timeoutMs: 2_000 }, events);

/** Sends the status line, headers and the first `keep` bytes of `text`, then drops the connection. */
function cutBody(response: ServerResponse, text: string, keep: number): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
  response.write(text.slice(0, keep));
  setTimeout(() => response.socket?.destroy(), 20);
}

/** An exchange answered by `first`, then a second exchange of the same token answered INVALID_PUBLIC_TOKEN. */
async function exchangeTwice(first: (response: ServerResponse, body: string) => void) {
  const removed: string[] = [];
  // Each removal as `<endpoint> <reason_code>`: the clean-up terminates with OTHER.
  const removals: string[] = [];
  const server = await serve((request, response, body, count) => {
    if (request.url === '/item/products/terminate' || request.url === '/item/remove') {
      const sent = JSON.parse(body) as { access_token: string; reason_code?: string };
      removed.push(sent.access_token);
      removals.push(`${request.url} ${sent.reason_code}`);
      return sendJson(response, 200, { request_id: 'req-rm' });
    }
    if (count === 1) return first(response, body);
    return sendJson(response, 400, invalidPublicToken);
  });
  const events: PlaidFacadeEvent[] = [];
  const { f, store } = facade(server.url, events);
  const error = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
  const exchangeRequests = server.requests() - removed.length;
  const again = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
  return { error, again, removed, removals, store, events, exchangeRequests };
}

function expectUncertain(result: Awaited<ReturnType<typeof exchangeTwice>>): void {
  expect(result.error).toBeInstanceOf(PlaidFacadeError);
  expect(result.error).toMatchObject({ outcomeUnknown: true, retryable: false });
  expect((result.error as Error).message).toMatch(/may already have been exchanged/);
  // Never sent twice: the public token is single use.
  expect(result.exchangeRequests).toBe(1);
  // Remembered as uncertain: the second try's INVALID_PUBLIC_TOKEN is explained.
  expect(result.again).toBeInstanceOf(PlaidApiError);
  expect(result.again).toMatchObject({ errorCode: 'INVALID_PUBLIC_TOKEN', outcomeUnknown: true });
}

describe('an exchange answer that was not fully read is an unknown outcome', () => {
  it('a 200 cut off mid-body', async () => {
    const text = JSON.stringify({ request_id: 'req-1', item_id: 'item-1', access_token: 'access-sandbox-secret-1' });
    const result = await exchangeTwice((response) => cutBody(response, text, 20));
    expectUncertain(result);
    expect(result.error).not.toHaveProperty('errorCode', 'HTTP_200');
  });

  it('a 200 whose gzip body is broken', async () => {
    const result = await exchangeTwice((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(Buffer.from('this is not gzip at all'));
    });
    expectUncertain(result);
  });

  it('a 200 whose gzip body is cut off', async () => {
    const zipped = gzipSync(JSON.stringify(exchanged));
    const result = await exchangeTwice((response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(zipped.length),
      });
      response.write(zipped.subarray(0, 12));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    expectUncertain(result);
  });

  it('a 200 that is not JSON', async () => {
    const result = await exchangeTwice((response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>proxy says hi</html>');
    });
    expectUncertain(result);
    expect(result.error).toBeInstanceOf(PlaidSchemaError);
  });

  it('a 200 JSON body without item_id: the readable access token gets its Item removed', async () => {
    const result = await exchangeTwice((response) =>
      sendJson(response, 200, { access_token: 'access-sandbox-secret-1', request_id: 'req-1' }),
    );
    expectUncertain(result);
    expect(result.removed).toEqual(['access-sandbox-secret-1']);
    expect(result.removals).toEqual(['/item/products/terminate OTHER']);
  });

  it('a 200 cut off after the access token: its Item is removed at Plaid', async () => {
    const text = JSON.stringify(exchanged);
    const keep = text.indexOf('"item_id"') + 8;
    const result = await exchangeTwice((response) => cutBody(response, text, keep));
    expectUncertain(result);
    expect(result.removed).toEqual(['access-sandbox-secret-1']);
    expect(result.removals).toEqual(['/item/products/terminate OTHER']);
    expect(JSON.stringify(result.events)).not.toContain('access-sandbox-secret-1');
  });

  it('the caller aborts after the request was sent', async () => {
    const controller = new AbortController();
    const server = await serve((request, response, _body, count) => {
      if (count === 1) {
        controller.abort(new Error('user went away'));
        return; // never answers
      }
      if (request.url === '/item/public_token/exchange') sendJson(response, 400, invalidPublicToken);
    });
    const { f } = facade(server.url);
    const error = await f
      .exchange({ userId: 'u', publicToken: 'public-sandbox-1' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidFacadeError);
    expect(error).toMatchObject({ outcomeUnknown: true, code: 'ABORTED' });
    const again = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ errorCode: 'INVALID_PUBLIC_TOKEN', outcomeUnknown: true });
  });

  it('a caller that aborts before anything is sent gets its own reason, and nothing is remembered', async () => {
    const server = await serve((_request, response) => sendJson(response, 400, invalidPublicToken));
    const { f } = facade(server.url);
    const reason = new Error('not now');
    const error = await f
      .exchange({ userId: 'u', publicToken: 'public-sandbox-1' }, { signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(server.requests()).toBe(0);
    const again = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ errorCode: 'INVALID_PUBLIC_TOKEN', outcomeUnknown: false });
  });

  it('close() while the exchange is in flight', async () => {
    let close: () => Promise<void> = async () => {};
    const server = await serve((_request, _response, _body, count) => {
      if (count === 1) void close();
    });
    const { f } = facade(server.url);
    close = () => f.close();
    const error = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidFacadeError);
    expect(error).toMatchObject({ outcomeUnknown: true });
  });
});

describe('a balance answer cut off mid-body is transient', () => {
  it('is retried, and the retry is read', async () => {
    const balance = {
      accounts: [],
      item: { item_id: 'item-1' },
      request_id: 'req-b',
    };
    let balanceReads = 0;
    const server = await serve((request, response) => {
      if (request.url === '/item/public_token/exchange') return sendJson(response, 200, exchanged);
      if (request.url !== '/accounts/balance/get') return sendJson(response, 500, {});
      balanceReads += 1;
      if (balanceReads === 1) return cutBody(response, JSON.stringify(balance), 10);
      sendJson(response, 200, balance);
    });
    const events: PlaidFacadeEvent[] = [];
    const { f } = facade(server.url, events);
    await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' });
    await expect(f.getBalances({ userId: 'u', itemId: 'item-1' })).resolves.toMatchObject({ requestId: 'req-b' });
    expect(balanceReads).toBe(2);
    expect(events.filter((event) => event.type === 'retry' && event.endpoint === '/accounts/balance/get')).toHaveLength(
      1,
    );
  });
});
