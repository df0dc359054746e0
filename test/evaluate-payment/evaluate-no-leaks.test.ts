import { afterEach, describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, type PlaidFacadeEvent } from '../../src/index.js';
import { sendJson, startRawServer } from '../support/raw-server.js';

// A server that echoes the secret and the access token into a 2xx evaluation and into error bodies:
// neither reaches the caller's result, an error or an event.
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const secret = 'secret-xyz-123';
const accessToken = 'access-sandbox-Wq7';

async function facadeAgainst(handle: Parameters<typeof startRawServer>[0]) {
  const server = await startRawServer(handle);
  const store = new MemoryTokenStore();
  await store.set({ userId: 'u', itemId: 'item-1', accessToken, createdAt: new Date() });
  const events: PlaidFacadeEvent[] = [];
  const plaid = createPlaidFacade({
    clientId: 'client-1',
    secret,
    basePath: server.url,
    tokenStore: store,
    rateLimit: false,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    onEvent: (event) => events.push(event),
  });
  closers.push(server.close, () => plaid.close());
  return { plaid, events };
}

const input = { userId: 'u', itemId: 'item-1', accountId: 'acc-1', amount: 12.34, paymentId: 'pay-1' };

describe('evaluatePayment never shows the secret or the access token', () => {
  it('in a 2xx answer that echoes them (request id, rule notes, warnings)', async () => {
    const { plaid, events } = await facadeAgainst((request, response, body) => {
      const echoed = `${request.headers['plaid-secret']}-${(JSON.parse(body) as { access_token: string }).access_token}`;
      sendJson(response, 200, {
        request_id: `req-${echoed}`,
        scores: null,
        ruleset: { ruleset_key: 'default', result: 'ACCEPT' },
        warnings: [],
      });
    });
    const evaluation = await plaid.evaluatePayment(input);
    const text = JSON.stringify([evaluation, events]);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(accessToken);
    expect(evaluation.requestId).toBe('req-[redacted]-[redacted]');
  });

  it('in an error answer, retried or not', async () => {
    const { plaid, events } = await facadeAgainst((request, response, body) => {
      const echoed = `${request.headers['plaid-secret']} ${body}`;
      sendJson(response, 500, {
        error_type: 'API_ERROR',
        error_code: 'INTERNAL_SERVER_ERROR',
        error_message: echoed,
        display_message: echoed,
        request_id: `req-${echoed}`,
      });
    });
    const error = await plaid.evaluatePayment(input).catch((caught: unknown) => caught);
    const text = JSON.stringify([error, String(error), (error as Error).stack, events]);
    expect(events.some((event) => event.type === 'retry')).toBe(true);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(accessToken);
  });
});
