import { createPlaidFacade, isPlaidFacadeError, PlaidApiError, PlaidRateLimitError } from 'plaid-facade';
import { createFakePlaid, createMockFacade, type FakePlaidServer, mockPlaidError } from 'plaid-facade/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('mockPlaidError', () => {
  const fake = createFakePlaid();
  let server: FakePlaidServer;
  beforeAll(async () => {
    server = await fake.listen();
  });
  afterAll(() => server.close());

  /** What the real facade throws when the fake Plaid answers `code` to a balance read. */
  async function realError(code: string): Promise<unknown> {
    const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url, retry: false });
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', code);
    const error = await plaid.getBalances({ userId: 'u1', itemId }).catch((e: unknown) => e);
    await plaid.close();
    return error;
  }

  const visible = (error: unknown) => {
    const { name, code, status, errorType, errorCode, errorMessage, displayMessage, retryable } =
      error as PlaidApiError;
    return { name, code, status, errorType, errorCode, errorMessage, displayMessage, retryable };
  };

  it.each(['ITEM_LOGIN_REQUIRED', 'INSTITUTION_DOWN', 'INTERNAL_SERVER_ERROR', 'RATE_LIMIT_EXCEEDED'])(
    '%s: the same error as the facade throws for that answer from Plaid',
    async (code) => {
      expect(visible(mockPlaidError(code))).toEqual(visible(await realError(code)));
    },
  );

  it('fakes one failure of a mock facade in one line', async () => {
    const plaid = createMockFacade({ getBalances: () => Promise.reject(mockPlaidError('ITEM_LOGIN_REQUIRED')) });
    const error = await plaid.getBalances({ userId: 'u1', itemId: 'i1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(isPlaidFacadeError(error) && [error.code, error.retryable]).toEqual(['ITEM_LOGIN_REQUIRED', false]);
    expect(mockPlaidError('RATE_LIMIT_EXCEEDED')).toBeInstanceOf(PlaidRateLimitError);
    expect(mockPlaidError('INSTITUTION_DOWN').retryable).toBe(true);
  });

  it('takes members of the body, and codes the fake does not know with their type and status', () => {
    const error = mockPlaidError('ITEM_LOGIN_REQUIRED', { body: { display_message: 'Log in again, please.' } });
    expect(error.displayMessage).toBe('Log in again, please.');
    const custom = mockPlaidError('PRODUCT_NOT_READY', { body: { error_type: 'ITEM_ERROR', status: 400 } });
    expect([custom.errorType, custom.status, custom.retryable]).toEqual(['ITEM_ERROR', 400, false]);
  });
});
