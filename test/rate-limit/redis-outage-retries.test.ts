import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, type PlaidFacadeEvent, RateLimiterError } from '../../src/index.js';

// The limiter's Redis is away (its connection keeps reconnecting, never ready): each call waits
// `timeoutMs` for it, on a fake clock, and is refused with RATE_LIMIT_REDIS_UNAVAILABLE. The call
// was never sent: the facade does not retry it, so the outage spends neither the call's retries
// nor the facade-wide retry budget (which Plaid's own failures need once Redis is back).

const timeoutMs = 1_000;

/** An ioredis-like client whose duplicate (the limiter's connection) never becomes ready. */
function awayRedis() {
  const duplicates: unknown[] = [];
  const connection = {
    status: 'reconnecting',
    defineCommand: () => {},
    once: () => connection,
    on: () => connection,
    script: async () => {
      throw new Error('Connection is closed.');
    },
    ping: async () => {
      throw new Error('Connection is closed.');
    },
    quit: async () => {
      throw new Error('Connection is closed.');
    },
    disconnect: () => {},
  };
  return {
    client: {
      duplicate: () => {
        duplicates.push(connection);
        return connection;
      },
      defineCommand: () => {},
      options: {},
    },
    duplicates,
  };
}

/** Moves the fake clock a bound at a time, letting I/O (the client's first load) run between. */
async function untilSettled(promise: Promise<unknown>): Promise<void> {
  let settled = false;
  void promise.finally(() => {
    settled = true;
  });
  // bounded in real time (Date is not faked): the first call loads the official client from disk
  const giveUpAt = Date.now() + 10_000;
  while (!settled && Date.now() < giveUpAt) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(timeoutMs);
  }
  expect(settled).toBe(true);
}

const budgets: Array<{ tokens: number; capacity: number }> = [];
const onBudget = (message: unknown) => budgets.push(message as { tokens: number; capacity: number });

afterEach(() => {
  diagnostics.unsubscribe('plaid-facade:retry-budget', onBudget);
  vi.useRealTimers();
  budgets.length = 0;
});

describe('an outage of the rate limiter’s Redis', () => {
  it('is not retried by the facade: no retry, no retry budget spent, one refusal per call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    diagnostics.subscribe('plaid-facade:retry-budget', onBudget);
    const redis = awayRedis();
    const store = new MemoryTokenStore();
    await store.set({ userId: 'u', itemId: 'item-1', accessToken: 'access-sandbox-1', createdAt: new Date(0) });
    const events: PlaidFacadeEvent[] = [];
    const facade = createPlaidFacade({
      clientId: 'client-1',
      secret: 'secret-xyz-123',
      tokenStore: store,
      // Before 0.3 each of these calls spent 3 retries (15 of the budget's 500 tokens).
      retry: { retries: 3, minDelayMs: 0, maxDelayMs: 0 },
      rateLimit: { redis: { client: redis.client, timeoutMs } },
      onEvent: (event) => events.push(event),
    });
    try {
      const calls = 40;
      for (let call = 0; call < calls; call++) {
        const failed = facade.getBalances({ userId: 'u', itemId: 'item-1' }).catch((error: unknown) => error);
        await untilSettled(failed);
        const error = await failed;
        expect(error).toBeInstanceOf(RateLimiterError);
        // still yours to retry: the call was never sent
        expect(error).toMatchObject({ code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true });
        expect(events.filter((event) => event.type === 'retry')).toEqual([]);
        expect(budgets.at(-1)).toEqual({ tokens: 500, capacity: 500 });
      }
      expect(budgets).toHaveLength(calls);
    } finally {
      await untilSettled(facade.close());
    }
  });
});
