import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  InvalidArgumentError,
  MemoryTokenStore,
  PlaidApiError,
  PlaidFacadeError,
  type PlaidFacadeEvent,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidSchemaError,
  PlaidTimeoutError,
  type StoredItem,
  TokenNotFoundError,
  TokenStoreError,
} from '../../src/index.js';
import { closedPortUrl, sendJson, useRawServers } from '../support/raw-server.js';

const SECRET = 'sk-live-very-secret-value';
const ACCESS_TOKEN = 'access-production-do-not-leak';

const serve = useRawServers();

/** Every way an error can be looked at: message, stack, JSON, inspect, and its cause chain. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as Error;
    out.push(
      String(e.message),
      String(e.stack),
      JSON.stringify(e),
      inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    );
    current = e.cause;
  }
  return out;
}

function expectNoSecrets(error: unknown) {
  expect(error).toBeInstanceOf(PlaidFacadeError);
  for (const text of renderings(error)) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ACCESS_TOKEN);
  }
}

/** A store holding one Item whose token is the one that must not leak. */
function seededStore() {
  const store = new MemoryTokenStore();
  void store.set({ userId: 'u', itemId: 'item-1', accessToken: ACCESS_TOKEN, createdAt: new Date() });
  return store;
}

async function serverAnswering(status: number, body: unknown) {
  const server = await serve((_req, res) => sendJson(res, status, body));
  return server.url;
}

function facade(basePath: string, events?: PlaidFacadeEvent[], tokenStore = seededStore()) {
  return createPlaidFacade({
    clientId: 'client-1',
    secret: SECRET,
    basePath,
    tokenStore,
    rateLimit: false,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    timeoutMs: 150,
    ...(events ? { onEvent: (e: PlaidFacadeEvent) => events.push(e) } : {}),
  });
}

const balanceCall = { userId: 'u', itemId: 'item-1' };

describe('no error carries the client secret or an access token', () => {
  it('PlaidApiError, even when Plaid echoes the token in its message', async () => {
    const url = await serverAnswering(400, {
      error_type: 'INVALID_INPUT',
      error_code: 'INVALID_ACCESS_TOKEN',
      error_message: `provided access token ${ACCESS_TOKEN} is in an invalid format`,
      display_message: null,
      request_id: 'r',
    });
    const error = await facade(url)
      .getBalances(balanceCall)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expectNoSecrets(error);
  });

  it('PlaidRateLimitError', async () => {
    const url = await serverAnswering(429, {
      error_type: 'RATE_LIMIT_EXCEEDED',
      error_code: 'ACCOUNTS_BALANCE_GET_LIMIT',
      error_message: 'slow',
      display_message: null,
    });
    const error = await facade(url)
      .getBalances(balanceCall)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidRateLimitError);
    expectNoSecrets(error);
  });

  it('PlaidSchemaError', async () => {
    const url = await serverAnswering(200, { accounts: 'nope', access_token: ACCESS_TOKEN, request_id: 'r' });
    const error = await facade(url)
      .getBalances(balanceCall)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expectNoSecrets(error);
  });

  it('PlaidNetworkError', async () => {
    const error = await facade(await closedPortUrl())
      .getBalances(balanceCall)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidNetworkError);
    expect((error as PlaidNetworkError).cause).toBeDefined();
    expectNoSecrets(error);
  });

  it('PlaidTimeoutError', async () => {
    const server = await serve(() => {});
    const error = await facade(server.url)
      .getBalances(balanceCall)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidTimeoutError);
    expectNoSecrets(error);
  });

  it('InvalidArgumentError, when the secret is passed where it does not belong', () => {
    let error: unknown;
    try {
      createPlaidFacade({ clientId: 'c', secret: SECRET, basePath: SECRET });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expectNoSecrets(error);
  });

  it('TokenNotFoundError', async () => {
    const error = await facade('http://127.0.0.1:9')
      .getBalances({ userId: 'u', itemId: 'other' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenNotFoundError);
    expectNoSecrets(error);
  });

  it('TokenStoreError, when the store fails with the token in its own error', async () => {
    const url = await serverAnswering(200, { access_token: ACCESS_TOKEN, item_id: 'item-9', request_id: 'r' });
    class LeakyStoreError extends Error {
      command = { name: 'hset', args: ['k', ACCESS_TOKEN] };
    }
    const store = new MemoryTokenStore();
    store.set = async (item: StoredItem) => {
      throw new LeakyStoreError(`cannot write ${item.accessToken} with ${SECRET}`);
    };
    const error = await facade(url, undefined, store)
      .exchange({ userId: 'u', publicToken: 'public-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expectNoSecrets(error);
  });

  it('no event carries them either', async () => {
    const events: PlaidFacadeEvent[] = [];
    const url = await serverAnswering(500, {
      error_type: 'API_ERROR',
      error_code: 'INTERNAL_SERVER_ERROR',
      error_message: ACCESS_TOKEN,
      display_message: null,
    });
    await facade(url, events)
      .getBalances(balanceCall)
      .catch(() => undefined);
    expect(events.length).toBeGreaterThan(3);
    const text = JSON.stringify(events);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ACCESS_TOKEN);
  });
});
