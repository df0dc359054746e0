import { afterEach, describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  type PlaidFacadeEvent,
  type PlaidFacadeOptions,
  PlaidRateLimitError,
} from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setup(retries: number, extra: Partial<PlaidFacadeOptions> = {}) {
  const fake = createFakePlaid();
  const server = await fake.listen();
  const events: PlaidFacadeEvent[] = [];
  // Sandbox defaults: 100 balance calls a minute per client, so the fake's client-wide 429
  // (ACCOUNTS_BALANCE_GET_LIMIT) pauses the endpoint for 600 ms.
  const plaid = createPlaidFacade({
    clientId: 'c',
    secret: 'secret-xyz-123',
    basePath: server.url,
    retry: { retries, minDelayMs: 1, maxDelayMs: 2 },
    onEvent: (event) => events.push(event),
    ...extra,
  });
  closers.push(
    () => plaid.close(),
    () => server.close(),
  );
  const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
  return { fake, plaid, itemId, events };
}

describe('a 429 from Plaid, with the default limits', () => {
  it('slows the endpoint down, then the retry succeeds', async () => {
    const { fake, plaid, itemId, events } = await setup(3);
    fake.failNext('/accounts/balance/get', 'RATE_LIMIT_EXCEEDED');
    await expect(plaid.getBalances({ userId: 'u', itemId })).resolves.toMatchObject({ itemId });
    expect(fake.callsTo('/accounts/balance/get').map((call) => call.status)).toEqual([429, 200]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'rate-limited', reason: 'plaid' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'rate-limited', reason: 'queued', perItem: false }));
  });

  it('slows only that Item down for a per-Item 429 (25 a minute: 2.4 s)', async () => {
    const { fake, plaid, itemId, events } = await setup(3);
    fake.failNext('/accounts/balance/get', 'BALANCE_LIMIT');
    await expect(plaid.getBalances({ userId: 'u', itemId })).resolves.toMatchObject({ itemId });
    expect(fake.callsTo('/accounts/balance/get').map((call) => call.status)).toEqual([429, 200]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'rate-limited', reason: 'plaid', perItem: true }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'rate-limited', reason: 'queued', perItem: true }));
  });
});

describe('a 429 from Plaid, with limits whose pause is milliseconds', () => {
  it('ends in PlaidRateLimitError when Plaid keeps refusing', async () => {
    // The default limits would pause the endpoint 600 ms of real time per 429; 100 calls in 600 ms
    // pause it 6 ms, so nothing here waits on the wall clock.
    const balanceLimit = { '/accounts/balance/get': { limit: 100, intervalMs: 600 } };
    const { fake, plaid, itemId } = await setup(1, { rateLimit: { endpoints: balanceLimit } });
    fake.failNext('/accounts/balance/get', 'RATE_LIMIT_EXCEEDED', { times: 2 });
    const error = await plaid.getBalances({ userId: 'u', itemId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidRateLimitError);
    expect(error).toMatchObject({ status: 429, errorType: 'RATE_LIMIT_EXCEEDED', retryable: true });
    expect(fake.callsTo('/accounts/balance/get')).toHaveLength(2);
  });
});

describe('a call waiting for the limit', () => {
  it('still reports its wait when it is aborted before its turn', async () => {
    const { fake, plaid, itemId, events } = await setup(3, {
      // a minute's wait, unbounded (the default maxWaitMs would refuse it at once)
      rateLimit: {
        perItem: { '/accounts/balance/get': { limit: 1, intervalMs: 60_000 } },
        maxWaitMs: Number.POSITIVE_INFINITY,
      },
      // identical reads would share one call: this test is about the limit
      singleFlight: false,
    });
    await plaid.getBalances({ userId: 'u', itemId }); // the Item's only slot for a minute
    const controller = new AbortController();
    const waiting = plaid.getBalances({ userId: 'u', itemId }, { signal: controller.signal });
    const reason = new Error('user went away');
    setTimeout(() => controller.abort(reason), 20);
    await expect(waiting).rejects.toBe(reason);
    expect(fake.callsTo('/accounts/balance/get')).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rate-limited', reason: 'queued', perItem: true, waitedMs: expect.any(Number) }),
    );
  });
});
