import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, PlaidApiError, type PlaidFacade, PlaidSchemaError } from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';

// The fake's special faults, seen through the real facade: they must produce the errors the
// facade's contract promises, or the fake would not be a useful test double for it.
const fake = createFakePlaid({ clientId: 'id', secret: 'secret' });
let url = '';
let close: () => Promise<void> = async () => {};
let plaid: PlaidFacade;

beforeAll(async () => {
  ({ url, close } = await fake.listen());
  plaid = createPlaidFacade({
    clientId: 'id',
    secret: 'secret',
    basePath: url,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await plaid.close();
  await close();
});

describe('the facade against the fake', () => {
  it('sends Plaid-Version and reads Dates from the balance answer', async () => {
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    const balances = await plaid.getBalances({ userId: 'u', itemId });
    expect(balances.accounts[0]?.balances.lastUpdated).toBeInstanceOf(Date);
    expect(fake.calls.every((call) => call.plaidVersion === '2020-09-14')).toBe(true);
  });

  it("'processed-then-dropped' on exchange gives an outcome-unknown error", async () => {
    fake.failNext('/item/public_token/exchange', 'processed-then-dropped');
    const error = await plaid
      .exchange({ userId: 'u', publicToken: fake.createPublicToken() })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(fake.callsTo('/item/public_token/exchange')[0]?.status).toBeUndefined();
  });

  it("'bad-schema' and 'non-json' give PlaidSchemaError", async () => {
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', 'bad-schema');
    await expect(plaid.getBalances({ userId: 'u', itemId })).rejects.toBeInstanceOf(PlaidSchemaError);
    fake.failNext('/link/token/create', 'non-json');
    await expect(plaid.linkToken({ userId: 'u' })).rejects.toBeInstanceOf(PlaidSchemaError);
  });

  it('a Plaid error from the fake arrives as PlaidApiError with its fields', async () => {
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const error = await plaid.getBalances({ userId: 'u', itemId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({
      status: 400,
      errorType: 'ITEM_ERROR',
      errorCode: 'ITEM_LOGIN_REQUIRED',
      retryable: false,
    });
  });
});
