import { afterEach, describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  MemoryTokenStore,
  PlaidApiError,
  type PlaidFacadeEvent,
  type PlaidFacadeOptions,
  PlaidSchemaError,
} from '../../src/index.js';
import { fill, validAccount } from '../support/answer-bodies.js';
import { startRawServer } from '../support/raw-server.js';

// Issue #12: no parse of an answer holds the event loop for long, up to the largest answer an
// endpoint accepts (512 KiB for balances). The official client hands the facade the body as text;
// the facade checks a long one's bounds with turns of the event loop between pieces, then parses it
// with JSON.parse; a body with more objects than any answer of Plaid's, or nested deeper, is
// refused before it is built. (How long
// the loop is held is measured in bench/parse-blocking.ts; these tests check what the caller gets
// and that other callbacks run meanwhile.)

const maxBalanceBytes = 512 * 1024;
const servers: Array<{ close: () => Promise<void> }> = [];
const facades: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(facades.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A loopback server answering every request with `status` and `body`; it counts removals (terminate, the exchange's clean-up). */
async function serve(status: number, body: string, exchange?: string) {
  const removed: string[] = [];
  const server = await startRawServer((request, response, requestBody) => {
    const removal = request.url === '/item/products/terminate';
    response.writeHead(removal ? 200 : status, { 'content-type': 'application/json' });
    if (removal) {
      removed.push((JSON.parse(requestBody) as { access_token: string }).access_token);
      response.end('{"request_id":"r-remove"}');
    } else {
      response.end(request.url === '/item/public_token/exchange' && exchange !== undefined ? exchange : body);
    }
  });
  servers.push(server);
  return { url: server.url, removed };
}

async function facadeFor(basePath: string, extra: Partial<PlaidFacadeOptions> = {}) {
  const store = new MemoryTokenStore();
  await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-1', createdAt: new Date() });
  const facade = createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    basePath,
    rateLimit: false,
    retry: false,
    tokenStore: store,
    ...extra,
  });
  facades.push(facade);
  return facade;
}

const rest = '"item":{"item_id":"item-1"},"request_id":"r"';

describe('answers at the size limit, through the official client on loopback', () => {
  it('a valid answer with as many accounts as fit in 512 KiB is read whole', async () => {
    const accounts = fill(maxBalanceBytes - 100, validAccount);
    const body = `{"accounts":[${accounts.text}],${rest}}`;
    expect(body.length).toBeLessThanOrEqual(maxBalanceBytes);
    const { url } = await serve(200, body);
    const read = await (await facadeFor(url)).getBalances({ userId: 'u', itemId: 'item-1' });
    expect(accounts.count).toBeGreaterThan(2_000);
    expect(read.accounts).toHaveLength(accounts.count);
    expect(read.accounts.at(-1)).toMatchObject({ accountId: `a${accounts.count - 1}`, balances: { current: 2 } });
  });

  it('175,000 empty accounts: refused as having more objects than any answer of Plaid’s', async () => {
    const { url } = await serve(200, `{"accounts":[${fill(maxBalanceBytes - 100, () => '{}').text}],${rest}}`);
    const error = await (await facadeFor(url)).getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as PlaidSchemaError).issues).toEqual([
      { path: [], message: 'the body has more than 20000 arrays and objects' },
    ]);
  });

  it('arrays nested 250,000 deep in a member the facade does not read: refused', async () => {
    const levels = 250_000;
    const { url } = await serve(200, `{"x":${'['.repeat(levels)}${']'.repeat(levels)},"accounts":[],${rest}}`);
    const error = await (await facadeFor(url)).getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect((error as PlaidSchemaError).issues).toEqual([
      { path: [], message: 'the body nests arrays and objects deeper than 64 levels' },
    ]);
  });

  it('an error status with such a body is classified by its status, as a body that is not Plaid’s', async () => {
    const { url } = await serve(
      503,
      `{"error_type":"API_ERROR","x":[${fill(maxBalanceBytes - 100, () => '{}').text}]}`,
    );
    const error = await (await facadeFor(url)).getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ code: 'HTTP_503', status: 503, retryable: true });
  });

  it('an exchange answer beyond the bounds still has its access token removed at Plaid', async () => {
    const objects = fill(60 * 1024, () => '{}');
    const exchange = `{"access_token":"access-sandbox-Zx8","item_id":"item-9","request_id":"r","x":[${objects.text}]}`;
    expect(objects.count).toBeGreaterThan(20_000);
    const { url, removed } = await serve(200, '{}', exchange);
    const f = await facadeFor(url);
    const error = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(removed).toEqual(['access-sandbox-Zx8']);
  });
});

describe('other callbacks run while a long answer is parsed and checked', () => {
  /**
   * A facade whose official client answers `text` (as axios does when asked for text); when the
   * answer is handed over, a setImmediate callback is scheduled. The order of that callback and
   * of the call's `response` or `error` event (emitted once the body is parsed and checked) shows
   * whether the parse let the event loop turn.
   */
  async function order(text: string) {
    const { Configuration, PlaidApi } = await import('plaid');
    const plaidApi = new PlaidApi(new Configuration({ basePath: 'http://127.0.0.1:9' }));
    const seen: string[] = [];
    const options: unknown[] = [];
    plaidApi.accountsBalanceGet = (async (_request: unknown, transport: unknown) => {
      options.push(transport);
      setImmediate(() => seen.push('other callback'));
      return { status: 200, data: text };
    }) as unknown as typeof plaidApi.accountsBalanceGet;
    const onEvent = (event: PlaidFacadeEvent) => {
      if (event.type === 'response' || event.type === 'error') seen.push(`${event.type} event`);
    };
    const f = await facadeFor('http://127.0.0.1:9', { plaidApi, onEvent });
    const outcome = await f.getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    return { seen, outcome, options };
  }

  it('a valid answer of 2,000 accounts: the callback runs before the body is read', async () => {
    const { seen, outcome, options } = await order(
      `{"accounts":[${Array.from({ length: 2_000 }, (_, i) => validAccount(i)).join(',')}],${rest}}`,
    );
    expect(seen).toEqual(['other callback', 'response event']);
    expect(outcome).toMatchObject({
      accounts: expect.arrayContaining([expect.objectContaining({ accountId: 'a1999' })]),
    });
    // The official client is asked for text, so that axios does not parse it in one go.
    expect(options).toEqual([expect.objectContaining({ responseType: 'text' })]);
  });

  it('a refused answer: the callback runs before the refusal', async () => {
    const { seen, outcome } = await order(`{"accounts":[${Array(150_000).fill('{}').join(',')}],${rest}}`);
    expect(seen).toEqual(['other callback', 'error event']);
    expect(outcome).toBeInstanceOf(PlaidSchemaError);
  });

  it('a usual answer is read at once', async () => {
    const { seen, outcome } = await order(`{"accounts":[${validAccount(0)}],${rest}}`);
    expect(seen).toEqual(['response event', 'other callback']);
    expect(outcome).toMatchObject({ accounts: [expect.objectContaining({ accountId: 'a0' })] });
  });
});
