import { afterEach, describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  MemoryTokenStore,
  PlaidApiError,
  type PlaidFacadeOptions,
  PlaidSchemaError,
} from '../../src/index.js';
import { balanceBody, plaidError, useScriptedPlaid } from '../support/msw-plaid.js';

// Answers that are odd but real: Plaid's OpenAPI description allows or nearly allows them.
const plaid = useScriptedPlaid();

function facade(extra: Partial<PlaidFacadeOptions> = {}) {
  return createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    rateLimit: false,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
    ...extra,
  });
}

async function expirationOf(text: string): Promise<Date | PlaidSchemaError> {
  plaid.script('/link/token/create', { json: { link_token: 'link-1', expiration: text, request_id: 'r' } });
  return facade()
    .linkToken({ userId: 'user-1' })
    .then(
      (result) => result.expiration,
      (error: unknown) => {
        if (error instanceof PlaidSchemaError) return error;
        throw error;
      },
    );
}

describe('RFC 3339 date-times', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it.each([
    ['2026-12-01T12:00:00Z', '2026-12-01T12:00:00.000Z'],
    ['2026-12-01t12:00:00z', '2026-12-01T12:00:00.000Z'],
    ['2026-12-01T12:00:00.123456789Z', '2026-12-01T12:00:00.123Z'],
    ['2026-12-01T12:00:00.5+01:30', '2026-12-01T10:30:00.500Z'],
    ['2026-12-01T00:00:00-05:00', '2026-12-01T05:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['2016-12-31T18:59:60-05:00', '2017-01-01T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', async (text, instant) => {
    const date = await expirationOf(text);
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString()).toBe(instant);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T12:60:00Z',
    '2026-12-01T12:00:61Z',
    '2026-12-01T12:59:60Z',
    '2026-12-01T12:00:00+24:00',
    '2026-12-01 12:00:00Z',
    '2026-12-01T12:00Z',
    '2026-12-01',
    'Tue, 01 Dec 2026 12:00:00 GMT',
  ])('rejects %s', async (text) => {
    const error = await expirationOf(text);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect((error as PlaidSchemaError).issues[0]?.path).toEqual(['expiration']);
  });

  it('reads a date-time without an offset as UTC, whatever the local time zone', async () => {
    process.env.TZ = 'UTC';
    const inUtc = await expirationOf('2026-12-01T12:00:00');
    process.env.TZ = 'America/New_York';
    expect(new Date(2026, 11, 1, 12).getTimezoneOffset()).toBe(300); // the zone really changed
    const inNewYork = await expirationOf('2026-12-01T12:00:00');
    expect((inUtc as Date).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect((inNewYork as Date).toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });
});

describe('balance answers', () => {
  async function linked() {
    const store = new MemoryTokenStore();
    await store.set({ userId: 'user-1', itemId: 'item-1', accessToken: 'access-sandbox-1', createdAt: new Date() });
    return facade({ tokenStore: store });
  }

  it('rejects an amount that is not finite (1e999 would reach users as Infinity)', async () => {
    const text = JSON.stringify(balanceBody('item-1')).replace('"available":100', '"available":1e999');
    expect(text).toContain('1e999');
    plaid.script('/accounts/balance/get', { text });
    const error = await (await linked()).getBalances({ userId: 'user-1', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
    expect((error as PlaidSchemaError).issues[0]?.path).toEqual(['accounts', 0, 'balances', 'available']);
  });

  it.each([
    ['a malformed item.error', { error: { error_type: 42 } }],
    ['item.error as a string', { error: 'broken' }],
    ['item.products that is not a list', { products: 'auth' }],
    ['item.webhook as a number', { webhook: 7 }],
    ['item.consent_expiration_time as an object', { consent_expiration_time: {} }],
  ])('reads balances despite %s (the facade reads only item.item_id)', async (_name, item) => {
    const body = balanceBody('item-1');
    Object.assign(body.item, item);
    plaid.script('/accounts/balance/get', { json: body });
    const result = await (await linked()).getBalances({ userId: 'user-1', itemId: 'item-1' });
    expect(result.accounts.map((account) => account.balances.available)).toEqual([100]);
  });

  it('still fails when item.item_id itself is missing', async () => {
    const body = balanceBody('item-1');
    delete (body.item as Partial<typeof body.item>).item_id;
    plaid.script('/accounts/balance/get', { json: body });
    const error = await (await linked()).getBalances({ userId: 'user-1', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
  });
});

describe('error bodies are salvaged field by field', () => {
  it.each([
    ['documentation_url: null', { documentation_url: null }],
    ['status: "400"', { status: '400' }],
    ['causes: {}', { causes: {} }],
    ['error_message: 5', { error_message: 5 }],
    ['request_id: 7', { request_id: 7 }],
    ['display_message: {}', { display_message: {} }],
  ])('INSTITUTION_DOWN with %s is still retried', async (_name, extra) => {
    const down = plaidError('INSTITUTION_ERROR', 'INSTITUTION_DOWN', 400, extra);
    plaid.script('/link/token/create', down, {
      json: { link_token: 'link-1', expiration: '2026-12-01T12:00:00Z', request_id: 'r' },
    });
    await expect(facade().linkToken({ userId: 'user-1' })).resolves.toMatchObject({ linkToken: 'link-1' });
    expect(plaid.seen).toHaveLength(2);
  });

  it('ITEM_LOGIN_REQUIRED with malformed optional fields keeps its type and code, the rest as defaults', async () => {
    const store = new MemoryTokenStore();
    await store.set({ userId: 'user-1', itemId: 'item-1', accessToken: 'access-sandbox-1', createdAt: new Date() });
    plaid.script(
      '/accounts/balance/get',
      plaidError('ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', 400, {
        documentation_url: null,
        status: '400',
        causes: {},
        suggested_action: 3,
      }),
    );
    const error = await facade({ tokenStore: store })
      .getBalances({ userId: 'user-1', itemId: 'item-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({
      errorType: 'ITEM_ERROR',
      errorCode: 'ITEM_LOGIN_REQUIRED',
      retryable: false,
      status: 400,
      documentationUrl: undefined,
      suggestedAction: null,
      causes: [],
      requestId: 'req-ITEM_LOGIN_REQUIRED',
    });
    expect(plaid.seen).toHaveLength(1);
  });
});
