import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type EvaluatePaymentResult,
  InvalidArgumentError,
  PaymentEvaluationExistsError,
  PlaidApiError,
  type PlaidFacadeEvent,
  PlaidNetworkError,
  type SignalRuleResult,
  TokenNotFoundError,
} from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

// evaluatePayment against the fake Plaid: the ruleset's result passes through typed, the payment id
// is Plaid's idempotency key (a retry is the same evaluation), and bad input sends nothing.
const { fake, facade } = useFakePlaidFacades();

async function linked(options: Parameters<typeof facade>[0] = {}) {
  const plaid = facade(options);
  const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
  const accountId = fake.item(itemId).accounts[0]?.account_id as string;
  return { plaid, itemId, accountId };
}

describe('the ruleset result passes through typed', () => {
  it.each(['ACCEPT', 'REVIEW', 'REROUTE', 'SOMETHING_PLAID_ADDS_LATER'])('%s', async (result) => {
    const { plaid, itemId, accountId } = await linked();
    fake.setSignalOutcome(itemId, { result, custom_action_key: 'hold-3-days' });
    const evaluation = await plaid.evaluatePayment({
      userId: 'u1',
      itemId,
      accountId,
      amount: 102.05,
      paymentId: 'p-1',
    });
    expect(evaluation.result).toBe(result);
    expect(evaluation).toMatchObject({
      userId: 'u1',
      itemId,
      paymentId: 'p-1',
      rulesetKey: 'default',
      triggeredRule: { customActionKey: 'hold-3-days' },
      scores: null,
      warnings: [],
    });
    expect(evaluation.balances?.lastUpdated).toBeInstanceOf(Date);
    expect(evaluation.balances?.available).toBe(fake.item(itemId).accounts[0]?.balances.available);
    expectTypeOf(evaluation.result).toEqualTypeOf<SignalRuleResult | null>();
    expectTypeOf<EvaluatePaymentResult['rulesetKey']>().toEqualTypeOf<string | null>();
  });

  it('sends what Plaid expects, and the ruleset key asked for', async () => {
    const { plaid, itemId, accountId } = await linked();
    await plaid.evaluatePayment({
      userId: 'u1',
      itemId,
      accountId,
      amount: 10,
      paymentId: 'p-2',
      rulesetKey: 'onboarding',
      userPresent: true,
    });
    const body = fake.callsTo('/signal/evaluate')[0]?.body;
    expect(body).toMatchObject({
      account_id: accountId,
      client_transaction_id: 'p-2',
      amount: 10,
      client_user_id: 'u1',
      ruleset_key: 'onboarding',
      user_present: true,
    });
    expect(typeof body?.access_token).toBe('string');
  });

  it('reads scores, warnings, the older answer shape and an answer without a ruleset', async () => {
    const { plaid, itemId, accountId } = await linked();
    const risk = { score: 72, risk_tier: 7 };
    fake.setSignalOutcome(itemId, [
      {
        result: 'REVIEW',
        scores: { bank_initiated_return_risk: risk },
        warnings: [{ warning_type: 'BANK_DATA', warning_code: 'ITEM_LOGIN_REQUIRED' }],
      },
      { result: 'REROUTE', shape: 'legacy' },
      { shape: 'none', scores: { customer_initiated_return_risk: { score: 9, risk_tier: 1 } } },
    ]);
    const input = { userId: 'u1', itemId, accountId, amount: 5 };
    const scored = await plaid.evaluatePayment({ ...input, paymentId: 'a' });
    expect(scored.scores).toEqual({
      bankInitiatedReturnRisk: { score: 72, riskTier: 7 },
      customerInitiatedReturnRisk: null,
    });
    expect(scored.warnings).toEqual([
      { warningType: 'BANK_DATA', warningCode: 'ITEM_LOGIN_REQUIRED', warningMessage: null },
    ]);
    expect((await plaid.evaluatePayment({ ...input, paymentId: 'b' })).result).toBe('REROUTE');
    const none = await plaid.evaluatePayment({ ...input, paymentId: 'c' });
    expect(none).toMatchObject({ result: null, rulesetKey: null, triggeredRule: null });
    expect(none.scores?.customerInitiatedReturnRisk).toEqual({ score: 9, riskTier: 1 });
  });
});

describe('bad input sends nothing', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['an empty paymentId', { paymentId: '' }],
    ['a paymentId of 37 characters', { paymentId: 'x'.repeat(37) }],
    ['a paymentId with a control character', { paymentId: 'p\n1' }],
    ['a paymentId that is a number', { paymentId: 42 }],
    ['a zero amount', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['an amount of Infinity', { amount: Number.POSITIVE_INFINITY }],
    ['an amount of NaN', { amount: Number.NaN }],
    ['an amount with three decimals', { amount: 10.005 }],
    ['0.1 + 0.2 (not rounded to cents)', { amount: 0.1 + 0.2 }],
    ['an amount as a string', { amount: '10.00' }],
    ['an unknown key', { risk: 'low' }],
  ];
  it.each(bad)('%s', async (_, change) => {
    const { plaid, itemId, accountId } = await linked();
    const input = { userId: 'u1', itemId, accountId, amount: 10, paymentId: 'p-ok', ...change };
    const error = await plaid
      .evaluatePayment(input as unknown as Parameters<typeof plaid.evaluatePayment>[0])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(0);
  });

  it('accepts 36 characters, and amounts of cents', async () => {
    const { plaid, itemId, accountId } = await linked();
    const input = { userId: 'u1', itemId, accountId };
    await plaid.evaluatePayment({ ...input, amount: 0.01, paymentId: 'x'.repeat(36) });
    await plaid.evaluatePayment({ ...input, amount: 1_234_567.89, paymentId: 'p-big' });
    expect(fake.signalEvaluations).toHaveLength(2);
  });

  it('an Item not in the store: TokenNotFoundError, nothing sent', async () => {
    const plaid = facade();
    const error = await plaid
      .evaluatePayment({ userId: 'u1', itemId: 'nope', accountId: 'a', amount: 1, paymentId: 'p' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenNotFoundError);
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(0);
  });
});

describe('a payment id is one evaluation, whatever Plaid answers to a repeat', () => {
  it('replay mode: an answer lost after Plaid evaluated, retried with the same id, gives the first evaluation', async () => {
    const events: PlaidFacadeEvent[] = [];
    const { plaid, itemId, accountId } = await linked({
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      onEvent: (event) => events.push(event),
    });
    fake.setSignalOutcome(itemId, { result: 'REVIEW' });
    fake.failNext('/signal/evaluate', 'processed-then-dropped');
    const evaluation = await plaid.evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-9' });
    expect(evaluation.result).toBe('REVIEW');
    const sent = fake.callsTo('/signal/evaluate').map((call) => call.body?.client_transaction_id);
    expect(sent).toEqual(['pay-9', 'pay-9']);
    expect(fake.signalEvaluations).toHaveLength(1);
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(1);
  });

  it('error mode: the retry refused as a used id gives PaymentEvaluationExistsError', async () => {
    const { plaid, itemId, accountId } = await linked({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    fake.setSignalDuplicateMode('error');
    fake.failNext('/signal/evaluate', 'processed-then-dropped');
    const error = await plaid
      .evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-9' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentEvaluationExistsError);
    expect(error).toMatchObject({
      code: 'PAYMENT_EVALUATION_EXISTS',
      paymentId: 'pay-9',
      errorCode: 'CLIENT_TRANSACTION_ID_ALREADY_IN_USE',
      outcomeUnknown: true,
      retryable: false,
    });
    // not retried any further: the same id can only be refused again
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(2);
    expect(fake.signalEvaluations).toHaveLength(1);
  });

  it('error mode: the caller calling again after a lost answer gets PaymentEvaluationExistsError too', async () => {
    const { plaid, itemId, accountId } = await linked();
    fake.setSignalDuplicateMode('error');
    fake.failNext('/signal/evaluate', 'processed-then-dropped');
    const input = { userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-10' };
    await expect(plaid.evaluatePayment(input)).rejects.toBeInstanceOf(PlaidNetworkError);
    await expect(plaid.evaluatePayment(input)).rejects.toBeInstanceOf(PaymentEvaluationExistsError);
  });

  it('replay mode: the caller calling again gets the same evaluation', async () => {
    const { plaid, itemId, accountId } = await linked();
    fake.setSignalOutcome(itemId, [{ result: 'ACCEPT' }, { result: 'REROUTE' }]);
    const input = { userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-11' };
    const first = await plaid.evaluatePayment(input);
    const again = await plaid.evaluatePayment(input);
    expect(again.result).toBe(first.result);
    expect(fake.signalEvaluations).toHaveLength(1);
  });

  it('two identical calls at once (a double click) share one request', async () => {
    const { plaid, itemId, accountId } = await linked();
    const input = { userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-15' };
    const [first, second] = await Promise.all([plaid.evaluatePayment(input), plaid.evaluatePayment(input)]);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(1);
  });

  it('an id reused for another payment (no lost answer): the plain PlaidApiError, not retried', async () => {
    const { plaid, itemId, accountId } = await linked({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    await plaid.evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-12' });
    const error = await plaid
      .evaluatePayment({ userId: 'u1', itemId, accountId, amount: 99, paymentId: 'pay-12' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).not.toBeInstanceOf(PaymentEvaluationExistsError);
    expect(error).toMatchObject({ errorType: 'SIGNAL_ERROR', errorCode: 'CLIENT_TRANSACTION_ID_ALREADY_IN_USE' });
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(2);
  });

  it.each([
    'ADDENDUM_NOT_SIGNED',
    'RULESET_NOT_FOUND',
    'INVALID_CONFIGURATION_STATE',
    'NOT_ENABLED_FOR_SIGNAL_TRANSACTION_SCORE_RULESETS',
  ])('%s is not retried', async (code) => {
    const { plaid, itemId, accountId } = await linked({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    fake.failNext('/signal/evaluate', code);
    const error = await plaid
      .evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-13' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ errorType: 'SIGNAL_ERROR', errorCode: code, retryable: false });
    expect(fake.callsTo('/signal/evaluate')).toHaveLength(1);
  });

  it('a transient failure is retried with the same id', async () => {
    const { plaid, itemId, accountId } = await linked({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    fake.failNext('/signal/evaluate', 'INTERNAL_SERVER_ERROR');
    await plaid.evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-14' });
    const sent = fake.callsTo('/signal/evaluate').map((call) => call.body?.client_transaction_id);
    expect(sent).toEqual(['pay-14', 'pay-14']);
  });
});

describe('reporting decisions and returns', () => {
  it('reports reach Plaid under the payment id', async () => {
    const { plaid, itemId, accountId } = await linked();
    await plaid.evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-20' });
    const decision = await plaid.reportPaymentDecision({
      paymentId: 'pay-20',
      initiated: true,
      decisionOutcome: 'APPROVE',
      paymentMethod: 'SAME_DAY_ACH',
      daysFundsOnHold: 0,
      submittedAt: new Date('2026-12-01T10:00:00Z'),
    });
    expect(decision.paymentId).toBe('pay-20');
    await plaid.reportReturn({ paymentId: 'pay-20', returnCode: 'R01', returnedAt: new Date('2026-12-03T10:00:00Z') });
    expect(fake.signalEvaluations[0]).toMatchObject({
      decisions: [{ initiated: true }],
      returns: [{ returnCode: 'R01' }],
    });
    expect(fake.callsTo('/signal/decision/report')[0]?.body).toMatchObject({
      client_transaction_id: 'pay-20',
      initiated: true,
      decision_outcome: 'APPROVE',
      payment_method: 'SAME_DAY_ACH',
      days_funds_on_hold: 0,
      submitted_at: '2026-12-01T10:00:00.000Z',
    });
  });

  it('a return of a payment reported as not initiated: SIGNAL_TRANSACTION_NOT_INITIATED', async () => {
    const { plaid, itemId, accountId } = await linked();
    await plaid.evaluatePayment({ userId: 'u1', itemId, accountId, amount: 20, paymentId: 'pay-21' });
    await plaid.reportPaymentDecision({ paymentId: 'pay-21', initiated: false });
    await expect(plaid.reportReturn({ paymentId: 'pay-21', returnCode: 'R01' })).rejects.toMatchObject({
      errorCode: 'SIGNAL_TRANSACTION_NOT_INITIATED',
    });
  });

  it('bad report input sends nothing', async () => {
    const plaid = facade();
    // @ts-expect-error: initiated is required
    await expect(plaid.reportPaymentDecision({ paymentId: 'p' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(plaid.reportReturn({ paymentId: 'p', returnCode: 'insufficient funds' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(plaid.reportReturn({ paymentId: 'x'.repeat(37), returnCode: 'R01' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(fake.calls).toHaveLength(0);
  });
});
