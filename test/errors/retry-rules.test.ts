/**
 * The table classify.ts owns (src/errors/retryable.ts) is what the errors say and what the guide
 * says: each of the library's own codes is retryable as its rule says, and the guide's "retryable"
 * column marks the same codes as "not retried by the facade".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FixedFacadeErrorCode, RETRY_RULES, retryableByDefault } from '../../src/errors/retryable.js';
import {
  ExchangeInProgressError,
  PaymentEvaluationExistsError,
  PlaidApiError,
  PlaidSchemaError,
  RateLimiterError,
  TokenStoreError,
  WebhookVerificationError,
} from '../../src/index.js';
import { retriedByFacade } from '../../src/pipeline/classify.js';

const guide = readFileSync(join(import.meta.dirname, '../../docs/errors-and-retries.md'), 'utf8');

/** The guide's "retryable" cell of `code`'s row. */
function retryableCell(code: string): string {
  const row = guide.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
  if (!row) throw new Error(`no row for ${code}`);
  return (row.slice(1, -1).split(' | ').at(-1) ?? '').trim();
}

describe('the retry rules of the library’s own codes', () => {
  it.each(Object.entries(RETRY_RULES))('%s (%s) reads the same in the guide', (code, rule) => {
    const cell = retryableCell(code);
    if (rule === 'no') expect(cell).toMatch(/^no\b/);
    else if (rule === 'facade') expect(cell).toMatch(/^yes\b(?!.*not retried by the facade)/);
    else expect(cell).toMatch(/^yes \(not retried by the facade/);
  });

  it('gives each error its code’s rule when its maker gives none', () => {
    const made = [
      new RateLimiterError('x', { code: 'RATE_LIMIT_WAIT_EXCEEDED', retryAfterMs: 1 }),
      new RateLimiterError('x', { code: 'RATE_LIMIT_REDIS_UNAVAILABLE' }),
      new RateLimiterError('x', { code: 'RATE_LIMIT_QUEUE_FULL' }),
      new TokenStoreError('x', { code: 'TOKEN_STORE_TIMEOUT' }),
      new TokenStoreError('x', { code: 'TOKEN_STORE_WRITE_FAILED', itemRemoved: true }),
      new TokenStoreError('x', {}),
      new ExchangeInProgressError(1),
      new WebhookVerificationError('WEBHOOK_KEY_UNAVAILABLE', 'x'),
      new WebhookVerificationError('WEBHOOK_TOO_OLD', 'x'),
      new PlaidSchemaError('/item/get', []),
    ];
    for (const error of made) expect(error.retryable, error.code).toBe(retryableByDefault(error.code));
    // TOKEN_STORE_ERROR ('cause'): after Plaid removed the Item, or wrapping a retryable store error
    expect(new TokenStoreError('x', { itemRemoved: true }).retryable).toBe(true);
    const inner = new TokenStoreError('x', { code: 'TOKEN_STORE_TIMEOUT' });
    expect(new TokenStoreError('x', { cause: inner }).retryable).toBe(true);
  });

  it('the facade retries only Plaid’s transient answers and its own “facade” codes', () => {
    const fields = {
      status: 500,
      errorType: 'API_ERROR',
      errorCode: 'INTERNAL_SERVER_ERROR',
      errorMessage: '',
      displayMessage: null,
      requestId: undefined,
      documentationUrl: undefined,
      suggestedAction: null,
      errorCodeReason: null,
      causes: [],
    };
    expect(retriedByFacade(new PlaidApiError(fields, { retryable: true }))).toBe(true);
    expect(retriedByFacade(new PlaidApiError(fields, { retryable: false }))).toBe(false);
    const yours = (Object.keys(RETRY_RULES) as FixedFacadeErrorCode[]).filter((code) => RETRY_RULES[code] === 'you');
    expect(yours).toContain('RATE_LIMIT_REDIS_UNAVAILABLE');
    expect(retriedByFacade(new RateLimiterError('x', { code: 'RATE_LIMIT_REDIS_UNAVAILABLE' }))).toBe(false);
    expect(retriedByFacade(new RateLimiterError('x', { code: 'RATE_LIMIT_WAIT_EXCEEDED' }))).toBe(false);
    expect(retriedByFacade(new TokenStoreError('x', { code: 'TOKEN_STORE_TIMEOUT' }))).toBe(false);
    expect(
      retriedByFacade(new PaymentEvaluationExistsError('p', new PlaidApiError(fields, { retryable: false }))),
    ).toBe(false);
  });
});
