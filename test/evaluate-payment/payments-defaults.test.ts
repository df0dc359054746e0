import { describe, expect, it } from 'vitest';
import { PaymentEvaluationExistsError, PlaidApiError } from '../../src/index.js';
import { defaultLimits } from '../../src/options/plaid-limits.js';
import { resolveCall, resolveOptions } from '../../src/options.js';
import { createMockFacade as mockFromTesting } from '../../src/testing/index.js';

// The defaults evaluatePayment runs with, and the mock facade's stand-in for it.
describe('evaluatePayment defaults', () => {
  it('an attempt may take 60 s ("Balance-only rulesets may have latency of up to 30 seconds or more")', () => {
    const options = resolveOptions({ clientId: 'id', secret: 'secret' });
    expect(resolveCall(options, '/signal/evaluate', undefined).timeoutMs).toBe(60_000);
    expect(resolveCall(options, '/signal/decision/report', undefined).timeoutMs).toBe(30_000);
    expect(resolveCall(options, '/signal/evaluate', { timeoutMs: 5_000 }).timeoutMs).toBe(5_000);
  });

  it("has its own limits: /accounts/balance/get's figures, per client and per Item", () => {
    expect(defaultLimits('production')['/signal/evaluate']).toEqual(
      defaultLimits('production')['/accounts/balance/get'],
    );
    expect(defaultLimits('sandbox')['/signal/evaluate']).toEqual(defaultLimits('sandbox')['/accounts/balance/get']);
    expect(defaultLimits('production')['/signal/decision/report']?.perItem).toBeUndefined();
  });
});

describe('the mock facade', () => {
  it('answers ACCEPT with a Balance-only shape and records the call', async () => {
    const plaid = mockFromTesting();
    const input = { userId: 'u1', itemId: 'i1', accountId: 'a1', amount: 5, paymentId: 'p1' };
    const evaluation = await plaid.evaluatePayment(input);
    expect(evaluation).toMatchObject({ result: 'ACCEPT', scores: null, paymentId: 'p1', warnings: [] });
    expect(evaluation.balances?.lastUpdated).toBeInstanceOf(Date);
    expect(plaid.calls.evaluatePayment).toEqual([[input, undefined]]);
    await expect(plaid.reportPaymentDecision({ paymentId: 'p1', initiated: true })).resolves.toMatchObject({
      paymentId: 'p1',
    });
    await expect(plaid.reportReturn({ paymentId: 'p1', returnCode: 'R01' })).resolves.toMatchObject({
      paymentId: 'p1',
    });
  });

  it('takes an override: REROUTE, or an error', async () => {
    const plaid = mockFromTesting();
    const base = await plaid.evaluatePayment({
      userId: 'u1',
      itemId: 'i1',
      accountId: 'a1',
      amount: 5,
      paymentId: 'p',
    });
    plaid.use({ evaluatePayment: () => ({ ...base, result: 'REROUTE' }) });
    expect(
      (await plaid.evaluatePayment({ userId: 'u1', itemId: 'i1', accountId: 'a1', amount: 5, paymentId: 'q' })).result,
    ).toBe('REROUTE');
    plaid.use({
      evaluatePayment: (input) => {
        throw new PaymentEvaluationExistsError(
          input.paymentId,
          new PlaidApiError(
            {
              status: 400,
              errorType: 'SIGNAL_ERROR',
              errorCode: 'CLIENT_TRANSACTION_ID_ALREADY_IN_USE',
              errorMessage: 'used',
              displayMessage: null,
              requestId: 'r',
              documentationUrl: undefined,
              suggestedAction: null,
              errorCodeReason: null,
              causes: [],
            },
            { retryable: false },
          ),
        );
      },
    });
    await expect(
      plaid.evaluatePayment({ userId: 'u1', itemId: 'i1', accountId: 'a1', amount: 5, paymentId: 'z' }),
    ).rejects.toMatchObject({ code: 'PAYMENT_EVALUATION_EXISTS', paymentId: 'z' });
  });
});
