import { describe, expect, it } from 'vitest';
import { createPlaidFacade, InvalidArgumentError, MemoryTokenStore, type PlaidFacadeOptions } from '../../src/index.js';
import { useScriptedPlaid } from '../support/msw-plaid.js';
import { refusal } from '../support/refusal.js';

const plaid = useScriptedPlaid();
const valid = { clientId: 'client-1', secret: 'secret-xyz-123' };

describe('createPlaidFacade refuses bad options at once', () => {
  const cases: Array<[string, unknown, string]> = [
    ['missing clientId', { secret: 's' }, 'clientId'],
    ['missing secret', { clientId: 'c' }, 'secret'],
    ['blank secret', { clientId: 'c', secret: '  ' }, 'secret'],
    ['unknown environment', { ...valid, environment: 'development' }, 'environment'],
    ['malformed basePath', { ...valid, basePath: 'not a url' }, 'basePath'],
    ['non-http basePath', { ...valid, basePath: 'ftp://example.com' }, 'basePath'],
    ['negative timeout', { ...valid, timeoutMs: -1 }, 'timeoutMs'],
    ['negative retries', { ...valid, retry: { retries: -1 } }, 'retry'],
    ['max delay below min delay', { ...valid, retry: { minDelayMs: 500, maxDelayMs: 100 } }, 'retry'],
    ['a token store without methods', { ...valid, tokenStore: {} }, 'tokenStore'],
    ['a misspelt option', { ...valid, enviroment: 'production' }, 'enviroment'],
    [
      'a bad rate limit',
      { ...valid, rateLimit: { endpoints: { '/accounts/balance/get': { limit: 0, intervalMs: 1000 } } } },
      'rateLimit',
    ],
  ];
  it.each(cases)('%s', (_name, options, field) => {
    const error = refusal(() => createPlaidFacade(options as PlaidFacadeOptions));
    expect(error.message).toContain(field);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('accepts the minimal options', () => {
    expect(() => createPlaidFacade(valid)).not.toThrow();
  });
});

describe('each call refuses bad input before any request', () => {
  const store = new MemoryTokenStore();
  const f = createPlaidFacade({ ...valid, tokenStore: store, rateLimit: false });
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['linkToken without userId', () => f.linkToken({} as never)],
    ['linkToken with empty products', () => f.linkToken({ userId: 'u', products: [] })],
    ['linkToken with balance as a product', () => f.linkToken({ userId: 'u', products: ['balance'] })],
    ['linkToken with a bad country code', () => f.linkToken({ userId: 'u', countryCodes: ['usa'] })],
    ['linkToken with a bad webhook', () => f.linkToken({ userId: 'u', webhook: 'nope' })],
    ['linkToken with an unknown field', () => f.linkToken({ userId: 'u', user_id: 'x' } as never)],
    ['exchange without publicToken', () => f.exchange({ userId: 'u' } as never)],
    ['exchange with a blank userId', () => f.exchange({ userId: '', publicToken: 'p' })],
    ['getBalances without itemId', () => f.getBalances({ userId: 'u' } as never)],
    ['getBalances with an empty accountIds', () => f.getBalances({ userId: 'u', itemId: 'i', accountIds: [] })],
    [
      'getBalances with an invalid Date',
      () => f.getBalances({ userId: 'u', itemId: 'i', minLastUpdated: new Date('x') }),
    ],
    [
      'getBalances with a string date',
      () => f.getBalances({ userId: 'u', itemId: 'i', minLastUpdated: '2026-01-01' as never }),
    ],
    ['removeItem without userId', () => f.removeItem({ itemId: 'i' } as never)],
    ['a negative per-call timeout', () => f.linkToken({ userId: 'u' }, { timeoutMs: -5 })],
    ['a signal that is not an AbortSignal', () => f.linkToken({ userId: 'u' }, { signal: {} as AbortSignal })],
  ];
  it.each(calls)('%s', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(plaid.seen).toHaveLength(0);
  });
});
