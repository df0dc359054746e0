import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  InvalidArgumentError,
  PlaidApiError,
  PlaidFacadeError,
  type PlaidFacadeOptions,
  PlaidSchemaError,
} from '../../src/index.js';
import { brokenListeners, unhandledRejectionsDuring } from '../support/broken-listeners.js';
import { facadeOn, sendJson, useRawServers } from '../support/raw-server.js';
import { everyRendering } from '../support/renderings.js';

// A server that is not on our side: it echoes what we send, answers too much, or nests without end.
const serve = useRawServers();

const facade = (basePath: string, extra: Partial<PlaidFacadeOptions> = {}) =>
  facadeOn(basePath, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 }, ...extra });

describe('a server that echoes the request into its error body', () => {
  const echo = (secret: string) =>
    serve((request, response, body) => {
      const seen = `${request.headers['plaid-secret']} ${body}`;
      const parsed = JSON.parse(body) as { access_token?: string; public_token?: string };
      const token = parsed.access_token ?? parsed.public_token ?? '';
      sendJson(response, 400, {
        error_type: 'INVALID_REQUEST',
        error_code: `BAD_${secret}_${token}`,
        error_message: seen,
        display_message: seen,
        error_code_reason: seen,
        suggested_action: seen,
        documentation_url: `https://plaid.com/docs/?q=${encodeURIComponent(secret)}&raw=${secret}&t=${token}`,
        request_id: `req-${secret}-${token}`,
        causes: [{ error_message: seen, nested: [{ deeper: seen, token }] }],
        status: 400,
      });
    });

  it.each([
    ['a usual secret', 'secret-xyz-123'],
    ['a one-character secret', 'Q'],
    ['a three-character secret', 'Qz9'],
  ])('redacts %s, the access token and the public token in every field', async (_name, secret) => {
    const server = await echo(secret);
    const { f, store, events } = facade(server.url, { secret });
    await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-sandbox-Wq7', createdAt: new Date() });
    const errors = [
      await f.getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e),
      await f.removeItem({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e),
      await f.linkToken({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e),
      await f.exchange({ userId: 'u', publicToken: 'public-sandbox-Pk3' }).catch((e: unknown) => e),
      await f
        .evaluatePayment({ userId: 'u', itemId: 'item-1', accountId: 'a', amount: 1, paymentId: 'p' })
        .catch((e: unknown) => e),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(PlaidApiError);
      const text = everyRendering(error, events);
      for (const leaked of [secret, 'access-sandbox-Wq7', 'public-sandbox-Pk3']) {
        if (leaked.length > 1) expect(text).not.toContain(leaked);
      }
      const api = error as PlaidApiError;
      for (const field of [
        api.errorCode,
        api.code,
        api.errorMessage,
        api.displayMessage,
        api.errorCodeReason,
        api.suggestedAction,
        api.documentationUrl,
        api.requestId,
        JSON.stringify(api.causes),
      ]) {
        expect(field ?? '').not.toContain(secret);
        expect(field ?? '').not.toContain('Wq7');
        expect(field ?? '').not.toContain('Pk3');
      }
    }
  });
});

describe('a server that echoes secrets encoded or in another case', () => {
  /** The forms an echoing server may use: base64, base64url, hex, upper and lower case, \\uXXXX. */
  const forms = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    const unicode = [...value].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    return [
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=+$/, ''),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      value.toUpperCase(),
      value.toLowerCase(),
      unicode,
      unicode.toUpperCase(),
    ];
  };

  it('redacts the base64, base64url, hex, case and \\uXXXX forms of the secret and the access token', async () => {
    const secret = 'Secret-Xyz-12345';
    const accessToken = 'access-sandbox-Wq7Lm2Np';
    const server = await serve((_request, response) => {
      const echoed = [...forms(secret), ...forms(accessToken)].join(' ');
      sendJson(response, 400, {
        error_type: 'INVALID_REQUEST',
        error_code: 'INVALID_FIELD',
        error_message: echoed,
        display_message: echoed,
        request_id: `req ${echoed}`,
        status: 400,
      });
    });
    const { f, store, events } = facade(server.url, { secret });
    await store.set({ userId: 'u', itemId: 'item-1', accessToken, createdAt: new Date() });
    const error = await f.getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    const text = everyRendering(error, events);
    for (const leaked of [...forms(secret), ...forms(accessToken)]) expect(text).not.toContain(leaked);
    expect((error as PlaidApiError).errorMessage).toMatch(/^(\[redacted\] ?)+$/);
  });
});

describe('a server that echoes tokens into its 2xx answers', () => {
  it('never hands the access token to the caller or an event, even as a request id', async () => {
    const server = await serve((request, response, body) => {
      const parsed = JSON.parse(body) as { access_token?: string };
      if (request.url === '/item/public_token/exchange') {
        return sendJson(response, 200, {
          access_token: 'access-sandbox-Zx8',
          item_id: 'item-1',
          request_id: 'req-access-sandbox-Zx8-secret-xyz-123',
        });
      }
      if (request.url === '/accounts/balance/get') {
        return sendJson(response, 200, {
          accounts: [],
          item: { item_id: 'item-1' },
          request_id: `req-${parsed.access_token}-secret-xyz-123`,
        });
      }
      sendJson(response, 500, {});
    });
    const { f, events } = facade(server.url);
    const exchanged = await f.exchange({ userId: 'u', publicToken: 'public-sandbox-Pk3' });
    const read = await f.getBalances({ userId: 'u', itemId: 'item-1' });
    const text = JSON.stringify([exchanged, read, events]);
    expect(text).not.toContain('access-sandbox-Zx8');
    expect(text).not.toContain('secret-xyz-123');
    expect(read.requestId).toBe('req-[redacted]-[redacted]');
  });
});

describe('options refuse what cannot travel in a header or a timer', () => {
  it.each([
    ['a secret with CR/LF', { secret: 'abc\r\nX-Evil: 1' }],
    ['a secret with NUL', { secret: 'abc\u0000def' }],
    ['a secret beyond Latin-1', { secret: 'abc\u20acdef' }],
    ['a secret with a leading space', { secret: ' abcdef' }],
    ['a client id with LF', { clientId: 'client\n' }],
    ['a huge client id', { clientId: 'c'.repeat(10 * 1024 * 1024) }],
    ['a retry delay beyond 2^31-1', { retry: { maxDelayMs: 2 ** 31 } }],
    ['a retry minimum delay beyond 2^31-1', { retry: { minDelayMs: 2 ** 31, maxDelayMs: 2 ** 31 } }],
    ['an infinite delay', { retry: { maxDelayMs: Number.POSITIVE_INFINITY } }],
  ])('%s', (_name, bad) => {
    expect(() => createPlaidFacade({ clientId: 'client-1', secret: 'secret-xyz-123', ...bad })).toThrow(
      InvalidArgumentError,
    );
  });

  it('a throwing getter in the options gives InvalidArgumentError, not a raw Error', () => {
    const options = { clientId: 'client-1' } as Record<string, unknown>;
    Object.defineProperty(options, 'secret', {
      enumerable: true,
      get() {
        throw new Error('vault unreachable');
      },
    });
    expect(() => createPlaidFacade(options as unknown as PlaidFacadeOptions)).toThrow(InvalidArgumentError);
  });

  it.each([
    ['retry.retries', 'retry', {}, 'retries'],
    ['rateLimit.maxQueued', 'rateLimit', {}, 'maxQueued'],
    ['observability.itemIds', 'observability', {}, 'itemIds'],
    ['logger.error', 'logger', { debug() {}, info() {}, warn() {} }, 'error'],
    ['tokenStore.list', 'tokenStore', { get() {}, set() {}, delete() {} }, 'list'],
  ])(
    'a throwing getter inside an option (%s) gives InvalidArgumentError naming the option, read once',
    (_name, option, base, key) => {
      let reads = 0;
      const nested = Object.defineProperty({ ...base }, key, {
        enumerable: true,
        get() {
          reads += 1;
          throw new Error('vault unreachable: hunter2');
        },
      });
      const error = (() => {
        try {
          createPlaidFacade({ clientId: 'client-1', secret: 'secret-xyz-123', [option]: nested });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ issues: [{ path: [option] }] });
      expect(String((error as Error).message)).not.toContain('hunter2');
      expect(reads).toBeGreaterThan(0);
    },
  );

  it('a throwing getter in call options or input gives InvalidArgumentError', async () => {
    const { f } = facade('http://127.0.0.1:9');
    const input = { userId: 'u' } as Record<string, unknown>;
    Object.defineProperty(input, 'publicToken', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    await expect(f.exchange(input as { userId: string; publicToken: string })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('a secret with CR/LF is not echoed in the error', () => {
    const error = (() => {
      try {
        createPlaidFacade({ clientId: 'client-1', secret: 'hunter2-secret\r\n' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});

describe('listeners', () => {
  it('a listener that throws or rejects never affects a call or the process', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 200, { link_token: 'link-1', expiration: '2026-12-01T12:00:00Z', request_id: 'r' }),
    );
    const unhandled = await unhandledRejectionsDuring(async () => {
      for (const onEvent of brokenListeners) {
        const f = createPlaidFacade({
          clientId: 'c',
          secret: 'secret-xyz-123',
          basePath: server.url,
          rateLimit: false,
          onEvent,
        });
        await expect(f.linkToken({ userId: 'u' })).resolves.toMatchObject({ linkToken: 'link-1' });
      }
    });
    expect(unhandled).toEqual([]);
  });
});

describe('bodies', () => {
  it('a balance answer beyond the documented maximum size is refused, not buffered', async () => {
    const big = 'x'.repeat(64 * 1024 * 1024);
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"pad":"${big}"}`);
    });
    const { f, store } = facade(server.url, { retry: false });
    await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-1', createdAt: new Date() });
    const error = await f.getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidFacadeError);
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false });
  });

  it('150,000 malformed accounts: the schema error keeps only the first few issues', async () => {
    const text = JSON.stringify({
      accounts: Array.from({ length: 150_000 }, () => ({})),
      item: { item_id: 'item-1' },
      request_id: 'r',
    });
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(text);
    });
    const { f, store } = facade(server.url);
    await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-1', createdAt: new Date() });
    const error = await f.getBalances({ userId: 'u', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect((error as PlaidSchemaError).issues.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(error).length).toBeLessThan(10_000);
  });

  it('deeply nested causes: the error still serialises', async () => {
    const causes = `${'[{"causes":'.repeat(5_000)}[]${'}]'.repeat(5_000)}`;
    const text = `{"error_type":"API_ERROR","error_code":"INTERNAL_SERVER_ERROR","error_message":"deep","display_message":null,"request_id":"r","causes":${causes}}`;
    expect(JSON.parse(text)).toHaveProperty('causes');
    const server = await serve((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(text);
    });
    const { f } = facade(server.url, { retry: false });
    const error = await f.linkToken({ userId: 'u' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
