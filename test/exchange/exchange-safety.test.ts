import { describe, expect, it } from 'vitest';
import { PlaidApiError, type PlaidFacadeEvent, PlaidNetworkError, PlaidTimeoutError } from '../../src/index.js';
import { closedPortUrl, facadeOn, sendJson, useRawServers } from '../support/raw-server.js';

// The public token is single use: an exchange that may have reached Plaid is never sent again.
const serve = useRawServers();

const exchanged = { access_token: 'access-sandbox-secret', item_id: 'item-1', request_id: 'req-1' };

const facade = (basePath: string, extra: { timeoutMs?: number; events?: PlaidFacadeEvent[] } = {}) =>
  facadeOn(basePath, extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}, extra.events);

describe('exchange retry rule', () => {
  it('retries when the connection is refused: the request provably never reached Plaid', async () => {
    const events: PlaidFacadeEvent[] = [];
    const { f } = facade(await closedPortUrl(), { events });
    const error = await f.exchange({ userId: 'u', publicToken: 'public-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidNetworkError);
    expect(error).toMatchObject({ retryable: true, outcomeUnknown: false });
    expect((error as PlaidNetworkError).cause?.code).toBe('ECONNREFUSED');
    expect(events.filter((e) => e.type === 'request')).toHaveLength(4);
  });

  it('retries a 429: Plaid refused the request before acting on it', async () => {
    const server = await serve((_req, res, _body, n) =>
      n === 1
        ? sendJson(res, 429, {
            error_type: 'RATE_LIMIT_EXCEEDED',
            error_code: 'RATE_LIMIT',
            error_message: 'slow down',
            display_message: null,
            request_id: 'r',
          })
        : sendJson(res, 200, exchanged),
    );
    const { f, store } = facade(server.url);
    await expect(f.exchange({ userId: 'u', publicToken: 'public-1' })).resolves.toMatchObject({ itemId: 'item-1' });
    // Two exchange attempts, then the free /accounts/get that describes the new Item.
    expect(server.requests()).toBe(3);
    expect((await store.get({ userId: 'u', itemId: 'item-1' }))?.accessToken).toBe('access-sandbox-secret');
  });

  it('does not retry a 5xx: outcome unknown, the caller is told to link again', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 500, {
        error_type: 'API_ERROR',
        error_code: 'INTERNAL_SERVER_ERROR',
        error_message: 'oops',
        display_message: null,
        request_id: 'r5',
      }),
    );
    const error = await facade(server.url)
      .f.exchange({ userId: 'u', publicToken: 'public-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true, errorCode: 'INTERNAL_SERVER_ERROR' });
    expect((error as Error).message).toMatch(/may already have been exchanged/);
    expect(server.requests()).toBe(1);
  });

  it('does not retry when the connection drops after the request was sent', async () => {
    const server = await serve((req) => req.socket.destroy());
    const error = await facade(server.url)
      .f.exchange({ userId: 'u', publicToken: 'public-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidNetworkError);
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true });
    expect(server.requests()).toBe(1);
  });

  it('does not retry after a timeout', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const error = await facade(server.url, { timeoutMs: 150 })
      .f.exchange({ userId: 'u', publicToken: 'public-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, retryable: false, outcomeUnknown: true });
    expect(server.requests()).toBe(1);
  });

  it('reads INVALID_PUBLIC_TOKEN as a final answer, not worth retrying', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 400, {
        error_type: 'INVALID_INPUT',
        error_code: 'INVALID_PUBLIC_TOKEN',
        error_message: 'bad',
        display_message: null,
        request_id: 'r4',
      }),
    );
    const error = await facade(server.url)
      .f.exchange({ userId: 'u', publicToken: 'public-1' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'INVALID_PUBLIC_TOKEN', retryable: false, outcomeUnknown: false });
    expect(server.requests()).toBe(1);
  });
});

describe('a later exchange of the same public token', () => {
  it('reads INVALID_PUBLIC_TOKEN as "may already have been exchanged" after an uncertain attempt', async () => {
    const server = await serve((req, res, _body, n) =>
      n === 1
        ? req.socket.destroy()
        : sendJson(res, 400, {
            error_type: 'INVALID_INPUT',
            error_code: 'INVALID_PUBLIC_TOKEN',
            error_message: 'bad',
            display_message: null,
            request_id: 'r7',
          }),
    );
    const { f } = facade(server.url);
    const first = await f.exchange({ userId: 'u', publicToken: 'public-1' }).catch((e: unknown) => e);
    expect(first).toMatchObject({ outcomeUnknown: true });
    const second = await f.exchange({ userId: 'u', publicToken: 'public-1' }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PlaidApiError);
    expect(second).toMatchObject({
      errorCode: 'INVALID_PUBLIC_TOKEN',
      outcomeUnknown: true,
      retryable: false,
      requestId: 'r7',
    });
    expect((second as Error).message).toMatch(/may have succeeded/);
    const other = await f.exchange({ userId: 'u', publicToken: 'public-2' }).catch((e: unknown) => e);
    expect(other).toMatchObject({ errorCode: 'INVALID_PUBLIC_TOKEN', outcomeUnknown: false });
  });
});

describe('balance calls are idempotent', () => {
  it('retries after a timeout, then succeeds', async () => {
    const server = await serve((req, res, body, n) => {
      if (req.url === '/item/public_token/exchange') return sendJson(res, 200, exchanged);
      if (n === 2) return; // the first balance attempt hangs
      expect(JSON.parse(body)).toMatchObject({ access_token: 'access-sandbox-secret' });
      sendJson(res, 200, {
        accounts: [],
        item: {
          item_id: 'item-1',
          webhook: null,
          error: null,
          available_products: [],
          billed_products: [],
          consent_expiration_time: null,
          update_type: 'background',
        },
        request_id: 'req-b',
      });
    });
    const { f } = facade(server.url, { timeoutMs: 150 });
    await f.exchange({ userId: 'u', publicToken: 'public-1' });
    await expect(f.getBalances({ userId: 'u', itemId: 'item-1' })).resolves.toMatchObject({ requestId: 'req-b' });
    expect(server.requests()).toBe(3);
  });
});
