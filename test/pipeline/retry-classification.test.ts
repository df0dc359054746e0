import { describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  PlaidApiError,
  type PlaidFacadeEvent,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidSchemaError,
} from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';
import { fullJitterDelay } from '../../src/pipeline/retry.js';
import { plaidError, useScriptedPlaid } from '../support/msw-plaid.js';

const plaid = useScriptedPlaid();
const RETRIES = 2;

function facade(events: PlaidFacadeEvent[] = []) {
  return createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    rateLimit: false,
    retry: { retries: RETRIES, minDelayMs: 1, maxDelayMs: 2 },
    onEvent: (event) => events.push(event),
  });
}

const linkOk = { json: { link_token: 'link-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-ok' } };

// Plaid's answer → retried? Institution errors come as HTTP 400 yet are transient.
const table: Array<[string, string, number, boolean]> = [
  ['API_ERROR', 'INTERNAL_SERVER_ERROR', 500, true],
  ['API_ERROR', 'PLANNED_MAINTENANCE', 503, true],
  ['INSTITUTION_ERROR', 'INSTITUTION_DOWN', 400, true],
  ['INSTITUTION_ERROR', 'INSTITUTION_NOT_RESPONDING', 400, true],
  ['INSTITUTION_ERROR', 'INSTITUTION_NOT_AVAILABLE', 400, true],
  ['RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', 429, true],
  ['INVALID_REQUEST', 'MISSING_FIELDS', 400, false],
  ['INVALID_REQUEST', 'UNKNOWN_FIELDS', 400, false],
  ['INVALID_INPUT', 'INVALID_API_KEYS', 400, false],
  ['INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 400, false],
  ['INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 400, false],
  ['INVALID_RESULT', 'PLAID_DIRECT_ITEM_IMPORT_RETURNED_INVALID_MFA', 400, false],
  ['ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', 400, false],
  ['ITEM_ERROR', 'PRODUCTS_NOT_SUPPORTED', 400, false],
  ['INSTITUTION_ERROR', 'INSTITUTION_NO_LONGER_SUPPORTED', 400, false],
];

describe('retry classification', () => {
  it.each(table)('%s %s (HTTP %i): retryable=%s', async (errorType, errorCode, status, retryable) => {
    plaid.script('/link/token/create', plaidError(errorType, errorCode, status));
    const error = await facade()
      .linkToken({ userId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorType === 'RATE_LIMIT_EXCEEDED' ? PlaidRateLimitError : PlaidApiError);
    const apiError = error as PlaidApiError;
    expect(apiError.retryable).toBe(retryable);
    expect(apiError.status).toBe(status);
    expect(apiError.errorType).toBe(errorType);
    expect(apiError.errorCode).toBe(errorCode);
    expect(apiError.code).toBe(errorCode);
    expect(apiError.requestId).toBe(`req-${errorCode}`);
    expect(apiError.documentationUrl).toBe(`https://plaid.com/docs/errors/#${errorCode}`);
    expect(plaid.seen).toHaveLength(retryable ? RETRIES + 1 : 1);
  });

  it('recovers when a transient failure clears, and reports each retry as an event', async () => {
    const events: PlaidFacadeEvent[] = [];
    plaid.script('/link/token/create', plaidError('INSTITUTION_ERROR', 'INSTITUTION_DOWN', 400), linkOk);
    await expect(facade(events).linkToken({ userId: 'u' })).resolves.toMatchObject({ linkToken: 'link-1' });
    expect(plaid.seen).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual([
      'call-start',
      'request',
      'error',
      'retry',
      'request',
      'response',
      'call-end',
    ]);
    expect(events[3]).toMatchObject({ type: 'retry', attempt: 1, errorCode: 'INSTITUTION_DOWN', status: 400 });
    expect(events[5]).toMatchObject({ type: 'response', attempt: 2, status: 200, requestId: 'req-ok' });
  });

  it('retries a 5xx without a Plaid body and a dropped connection', async () => {
    plaid.script(
      '/link/token/create',
      { status: 502, text: '<html>Bad gateway</html>' },
      { networkError: true },
      linkOk,
    );
    await expect(facade().linkToken({ userId: 'u' })).resolves.toMatchObject({ linkToken: 'link-1' });
    expect(plaid.seen).toHaveLength(3);
  });

  it('ends with PlaidNetworkError when the connection keeps failing', async () => {
    plaid.script('/link/token/create', { networkError: true });
    const error = await facade()
      .linkToken({ userId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidNetworkError);
    expect((error as PlaidNetworkError).retryable).toBe(true);
    expect(plaid.seen).toHaveLength(RETRIES + 1);
  });

  it('never retries a schema failure', async () => {
    plaid.script('/link/token/create', { json: { link_token: 'x', request_id: 'req-bad' } });
    const error = await facade()
      .linkToken({ userId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect(error).toMatchObject({ endpoint: '/link/token/create', requestId: 'req-bad', retryable: false });
    expect((error as PlaidSchemaError).issues).toEqual([expect.objectContaining({ path: ['expiration'] })]);
    expect(plaid.seen).toHaveLength(1);
  });

  it('raises PlaidSchemaError for a 2xx body that is not JSON', async () => {
    plaid.script('/link/token/create', { text: 'upstream said hello' });
    const error = await facade()
      .linkToken({ userId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect(plaid.seen).toHaveLength(1);
  });

  it('retry: false makes a single attempt', async () => {
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    await expect(facade().linkToken({ userId: 'u' }, { retry: false })).rejects.toBeInstanceOf(PlaidApiError);
    expect(plaid.seen).toHaveLength(1);
  });
});

describe('full jitter', () => {
  const credentials = { clientId: 'client', secret: 'secret' };
  const options = resolveOptions({ ...credentials, retry: { minDelayMs: 100, maxDelayMs: 1000 } }, {}).retry;

  it('draws each delay uniformly between zero and the capped exponential bound', () => {
    expect(fullJitterDelay(1, options, () => 0)).toBe(0);
    expect(fullJitterDelay(1, options, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(200);
    expect(fullJitterDelay(10, options, () => 0.999)).toBe(999);
  });

  it('has the documented defaults', () => {
    expect(resolveOptions(credentials, {}).retry).toEqual({ retries: 3, minDelayMs: 250, maxDelayMs: 8000 });
    expect(resolveOptions({ ...credentials, retry: false }, {}).retry.retries).toBe(0);
  });
});

describe('retry budget', () => {
  it('stops retrying when Plaid keeps failing, and recovers as calls succeed', async () => {
    const f = createPlaidFacade({
      clientId: 'client-1',
      secret: 'secret-xyz-123',
      rateLimit: false,
      retry: { retries: 3, minDelayMs: 0, maxDelayMs: 0 },
    });
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    const attemptsPerCall: number[] = [];
    for (let call = 0; call < 40; call++) {
      const before = plaid.seen.length;
      await f.linkToken({ userId: 'u' }).catch(() => undefined);
      attemptsPerCall.push(plaid.seen.length - before);
    }
    // A bucket of 500 tokens pays 100 retries of 5: 33 calls with 3 retries each, one with 1.
    expect(attemptsPerCall.slice(0, 33)).toEqual(Array(33).fill(4));
    expect(attemptsPerCall[33]).toBe(2);
    expect(attemptsPerCall.slice(34)).toEqual(Array(6).fill(1));

    // Each success without a retry puts one token back; five of them pay for one retry again.
    plaid.script('/link/token/create', linkOk);
    for (let call = 0; call < 5; call++) await f.linkToken({ userId: 'u' });
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    const before = plaid.seen.length;
    await f.linkToken({ userId: 'u' }).catch(() => undefined);
    expect(plaid.seen.length - before).toBe(2);
  });
});

describe('per-call retry options', () => {
  it('override the facade’s field by field', async () => {
    const events: PlaidFacadeEvent[] = [];
    const f = createPlaidFacade({
      clientId: 'client-1',
      secret: 'secret-xyz-123',
      rateLimit: false,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      onEvent: (event) => events.push(event),
    });
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    await f.linkToken({ userId: 'u' }, { retry: { retries: 2 } }).catch(() => undefined);
    expect(plaid.seen).toHaveLength(3);
    // The delays still come from the facade's options (at most 2 ms), not from the defaults.
    const delays = events.flatMap((event) => (event.type === 'retry' ? [event.delayMs] : []));
    expect(delays).toHaveLength(2);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(2);
    await f.linkToken({ userId: 'u' }, { retry: false }).catch(() => undefined);
    expect(plaid.seen).toHaveLength(4);
    await f.linkToken({ userId: 'u' }).catch(() => undefined);
    expect(plaid.seen).toHaveLength(6);
  });
});
