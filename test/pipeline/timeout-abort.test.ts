import { describe, expect, it } from 'vitest';
import { createPlaidFacade, type PlaidFacadeEvent, PlaidTimeoutError } from '../../src/index.js';
import { sendJson, useRawServers } from '../support/raw-server.js';

const serve = useRawServers();

const linkOk = { link_token: 'link-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-ok' };

async function hangingServer(answerFrom = Number.POSITIVE_INFINITY) {
  const server = await serve((_req, res, _body, n) => {
    if (n >= answerFrom) sendJson(res, 200, linkOk);
  });
  return server;
}

/** Waits (a bound, not a timing claim) until `condition` holds, so a busy machine only makes it slower. */
async function until(condition: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within the bound');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sent = (events: PlaidFacadeEvent[]) => events.filter((event) => event.type === 'request').length;

function facade(basePath: string, events: PlaidFacadeEvent[] = []) {
  return createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    basePath,
    rateLimit: false,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    onEvent: (e) => events.push(e),
  });
}

describe('timeouts', () => {
  it('times out each attempt, retries, and reports PlaidTimeoutError when all attempts time out', async () => {
    const server = await hangingServer();
    const events: PlaidFacadeEvent[] = [];
    const error = await facade(server.url, events)
      .linkToken({ userId: 'u' }, { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, retryable: true, code: 'TIMEOUT' });
    // three attempts sent (on a busy machine one may time out before the server has read it)
    expect(sent(events)).toBe(3);
    expect(
      events.filter((event) => event.type === 'error').map((event) => 'errorCode' in event && event.errorCode),
    ).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
  });

  it('succeeds when a later attempt answers in time', async () => {
    const server = await hangingServer(2);
    // long enough for a loopback answer on a loaded machine; the first attempt hangs for all of it
    await expect(facade(server.url).linkToken({ userId: 'u' }, { timeoutMs: 1_500 })).resolves.toMatchObject({
      linkToken: 'link-1',
    });
    expect(server.requests()).toBe(2);
  });

  it('gives balance calls a longer default timeout than the others', async () => {
    const { DEFAULT_BALANCE_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } = await import('../../src/index.js');
    expect(DEFAULT_BALANCE_TIMEOUT_MS).toBeGreaterThanOrEqual(30_000);
    expect(DEFAULT_BALANCE_TIMEOUT_MS).toBeGreaterThan(DEFAULT_TIMEOUT_MS);
  });
});

describe('cancellation', () => {
  it('rejects with the signal reason while a request is in flight, and does not retry', async () => {
    const server = await hangingServer();
    const controller = new AbortController();
    const reason = new Error('user went away');
    const pending = facade(server.url).linkToken({ userId: 'u' }, { signal: controller.signal, timeoutMs: 10_000 });
    await until(() => server.requests() === 1); // in flight at the server
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests()).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const server = await hangingServer();
    const controller = new AbortController();
    controller.abort();
    await expect(facade(server.url).linkToken({ userId: 'u' }, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests()).toBe(0);
  });

  // Full jitter may draw a short delay: each case aborts once a long wait between attempts begins
  // (on the `retry` event), not after a guessed time.
  for (const [name, abortWhenTheWaitBegins] of [
    ['stops waiting between retries when aborted', false],
    ['stops at once when aborted as the wait begins (from a retry listener)', true],
  ] as const) {
    it(name, async () => {
      const server = await serve((_req, res) =>
        sendJson(res, 500, {
          error_type: 'API_ERROR',
          error_code: 'INTERNAL_SERVER_ERROR',
          error_message: 'x',
          display_message: null,
        }),
      );
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('stop'));
      const f = createPlaidFacade({
        clientId: 'c',
        secret: 'secret-xyz-123',
        basePath: server.url,
        rateLimit: false,
        retry: { retries: 5, minDelayMs: 60_000, maxDelayMs: 60_000 },
        onEvent: (event) => {
          if (event.type !== 'retry' || event.delayMs < 1_000) return;
          if (abortWhenTheWaitBegins) abort();
          else setImmediate(abort); // the wait has begun by then
        },
      });
      const pending = f.linkToken({ userId: 'u' }, { signal: controller.signal });
      await expect(pending).rejects.toThrow('stop');
      const seen = server.requests();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requests()).toBe(seen);
    });
  }
});
