import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore } from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { serviceUrl } from '../support/services.js';

const url = serviceUrl('redis', 'facades sharing a rate limit');
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

describe.skipIf(!url)('two facades sharing limits through Redis', () => {
  it('never put more than the per-Item limit into any window at Plaid', { timeout: 30_000 }, async () => {
    const fake = createFakePlaid();
    const server = await fake.listen();
    const prefix = `pf-test-${randomUUID()}`;
    const store = new MemoryTokenStore();
    const perItem = { '/accounts/balance/get': { limit: 3, intervalMs: 1000 } };
    const facades = [0, 1].map(() => {
      const client = new Redis(url as string, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return createPlaidFacade({
        clientId: 'c',
        secret: 'secret-xyz-123',
        basePath: server.url,
        tokenStore: store,
        rateLimit: { perItem, redis: { client, prefix, timeoutMs: 5000 } },
        // Eight identical reads would otherwise share one call per facade: this test is about the limit.
        singleFlight: false,
      });
    });
    try {
      const [first, second] = facades as [(typeof facades)[0], (typeof facades)[0]];
      const { itemId } = await first.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
      const calls = [first, second].flatMap((f) =>
        Array.from({ length: 4 }, () => f.getBalances({ userId: 'u', itemId })),
      );
      await Promise.all(calls);
      const starts = fake
        .callsTo('/accounts/balance/get')
        .map((c) => c.at.getTime())
        .sort((a, b) => a - b);
      expect(starts).toHaveLength(8);
      // Arrivals, as Plaid counts them: a slot is held until a window after the call's answer, so
      // no window of the full length sees more than the limit, whatever the loopback delay.
      const window = 1000;
      for (const start of starts) {
        expect(starts.filter((t) => t >= start && t < start + window).length).toBeLessThanOrEqual(3);
      }
      // Eight calls at three per second need at least two full windows.
      expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThanOrEqual(2 * window);
    } finally {
      await Promise.all(facades.map((f) => f.close()));
      await server.close();
    }
  });
});
