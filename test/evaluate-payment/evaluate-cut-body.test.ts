import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createPlaidFacade,
  PaymentEvaluationExistsError,
  type PlaidFacade,
  type PlaidFacadeEvent,
} from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { startRawServer } from '../support/raw-server.js';
import { everyRendering } from '../support/renderings.js';

// A 2xx answer of /signal/evaluate cut off mid-body, after the fake Plaid evaluated the payment: a
// proxy on loopback passes every request to the fake and cuts the first evaluation's answer.
const secret = 'secret-xyz-123';
const fake = createFakePlaid({ clientId: 'client-1', secret });
let fakeUrl = '';
let closeFake: () => Promise<void> = async () => {};
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ({ url: fakeUrl, close: closeFake } = await fake.listen());
});
afterEach(async () => {
  fake.reset();
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => closeFake());

/** Sends the status line, headers and the first `keep` characters of `text`, then drops the connection. */
function cutBody(response: ServerResponse, text: string, keep: number): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.write(text.slice(0, keep));
  setTimeout(() => response.socket?.destroy(), 20);
}

/** A proxy to the fake that cuts the first `/signal/evaluate` answer, and a facade through it. */
async function throughCuttingProxy(): Promise<{ plaid: PlaidFacade; events: PlaidFacadeEvent[] }> {
  let evaluations = 0;
  const proxy = await startRawServer((request, response, body) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    }
    void fetch(`${fakeUrl}${request.url}`, { method: 'POST', headers, body }).then(async (answer) => {
      const text = await answer.text();
      if (request.url === '/signal/evaluate' && answer.status === 200 && ++evaluations === 1) {
        return cutBody(response, text, Math.floor(text.length / 2));
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(text);
    });
  });
  closers.push(proxy.close);
  const events: PlaidFacadeEvent[] = [];
  const plaid = createPlaidFacade({
    clientId: 'client-1',
    secret,
    basePath: proxy.url,
    rateLimit: false,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    timeoutMs: 5_000,
    onEvent: (event) => events.push(event),
  });
  closers.push(() => plaid.close());
  return { plaid, events };
}

async function linkedThroughProxy() {
  const { plaid, events } = await throughCuttingProxy();
  const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
  const { accessToken, accounts } = fake.item(itemId);
  return { plaid, events, itemId, accountId: accounts[0]?.account_id as string, accessToken };
}

describe('a /signal/evaluate answer cut off mid-body', () => {
  it('is retried with the same client_transaction_id, and the caller gets the one evaluation', async () => {
    const { plaid, events, itemId, accountId, accessToken } = await linkedThroughProxy();
    fake.setSignalOutcome(itemId, [{ result: 'REVIEW' }, { result: 'ACCEPT' }]);
    const evaluation = await plaid.evaluatePayment({
      userId: 'u1',
      itemId,
      accountId,
      amount: 75.5,
      paymentId: 'pay-1',
    });
    // The first evaluation (REVIEW), replayed: not a second one (which would be ACCEPT).
    expect(evaluation.result).toBe('REVIEW');
    expect(fake.signalEvaluations).toHaveLength(1);
    const sent = fake.callsTo('/signal/evaluate').map((call) => call.body?.client_transaction_id);
    expect(sent).toEqual(['pay-1', 'pay-1']);
    const retries = events.filter((event) => event.type === 'retry');
    expect(retries).toMatchObject([{ endpoint: '/signal/evaluate', errorCode: 'RESPONSE_INCOMPLETE' }]);
    const rendered = JSON.stringify(events);
    expect(rendered).not.toContain(secret);
    expect(rendered).not.toContain(accessToken);
  });

  it('where Plaid refuses the repeated id: PaymentEvaluationExistsError, with no secret or token in it', async () => {
    const { plaid, events, itemId, accountId, accessToken } = await linkedThroughProxy();
    fake.setSignalDuplicateMode('error');
    const error = await plaid
      .evaluatePayment({ userId: 'u1', itemId, accountId, amount: 75.5, paymentId: 'pay-2' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentEvaluationExistsError);
    expect(error).toMatchObject({ paymentId: 'pay-2', outcomeUnknown: true });
    expect(fake.signalEvaluations).toHaveLength(1);
    const rendered = everyRendering(error, events);
    expect(rendered).not.toContain(secret);
    expect(rendered).not.toContain(accessToken);
  });
});
