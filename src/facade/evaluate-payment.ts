import type { SignalEvaluateRequest } from 'plaid';
import { PaymentEvaluationExistsError, PlaidApiError, redactSecrets } from '../errors.js';
import { type CallOptions, checkInput, idSchema, type ResolvedCall, resolveCall } from '../options.js';
import { classifyJoinTimeout, isPaymentIdInUse } from '../pipeline/classify.js';
import { newCallRecord } from '../pipeline/run-call.js';
import { signalEvaluateResponseSchema } from '../schemas/signal-evaluate.js';
import { z } from '../schemas/zod.js';
import type { StoredItem } from '../stores/token-store.js';
import type { EvaluatePaymentInput, EvaluatePaymentResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem } from './internal/context.js';
import { SingleFlight } from './internal/single-flight.js';

/** The longest payment id Plaid takes (`client_transaction_id`, `maxLength: 36`). */
export const MAX_PAYMENT_ID_LENGTH = 36;

/** A payment id: 1–36 characters (Unicode code points), and an id by the library's rule. */
export const paymentIdSchema = idSchema.refine(
  (value) => typeof value !== 'string' || [...value].length <= MAX_PAYMENT_ID_LENGTH,
  `must be at most ${MAX_PAYMENT_ID_LENGTH} characters (Plaid's client_transaction_id)`,
);

// Cents are exact below this; a larger amount is no payment.
const maxAmount = Number.MAX_SAFE_INTEGER / 100;

/** An amount in USD: positive, finite, at most two decimals (0.1 + 0.2 is refused: round to cents). */
export const paymentAmountSchema = z
  .number({ invalid_type_error: 'must be a number' })
  .finite('must be finite')
  .positive('must be positive')
  .max(maxAmount, 'is too large')
  .refine((value) => Number(value.toFixed(2)) === value, 'must have at most two decimals (round to cents)');

const evaluatePaymentInputSchema = z
  .object({
    userId: idSchema,
    itemId: idSchema,
    accountId: idSchema,
    amount: paymentAmountSchema,
    paymentId: paymentIdSchema,
    rulesetKey: z.string().trim().min(1, 'must be a non-empty string').max(200).optional(),
    userPresent: z.boolean().optional(),
  })
  .strict();

/**
 * Payment ids whose last call may have reached Plaid without an answer (a timeout, a lost or cut
 * answer, a 5xx): a later `CLIENT_TRANSACTION_ID_ALREADY_IN_USE` for one of them means the
 * evaluation exists. Bounded: the oldest are forgotten first.
 */
export class UncertainPayments {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Remembers a payment id whose evaluation may exist. */
  add(paymentId: string): void {
    this.ids.delete(paymentId);
    this.ids.add(paymentId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }

  /** Whether a call with this id may have reached Plaid unanswered. */
  has(paymentId: string): boolean {
    return this.ids.has(paymentId);
  }

  /** Forgets an id (its evaluation was answered). */
  delete(paymentId: string): void {
    this.ids.delete(paymentId);
  }
}

/** What the payment calls of one facade share. */
export class PaymentCalls {
  /** Payment ids whose evaluation may exist without its answer. */
  readonly uncertain = new UncertainPayments();
  /** Evaluations under way, by their whole input: a second identical call (a double click) joins the first. */
  readonly flights = new SingleFlight<EvaluatePaymentResult>(structuredClone);
}

type ValidInput = z.output<typeof evaluatePaymentInputSchema>;

/**
 * Evaluates an ACH debit with Plaid's Signal ruleset (`/signal/evaluate`), with the Item's access
 * token from the store. `paymentId` is sent as `client_transaction_id`, Plaid's idempotency key:
 * transient failures are retried with the same id, so a retry is the same evaluation. Plaid may
 * answer a repeated id with the first evaluation (then the caller gets it) or with
 * `CLIENT_TRANSACTION_ID_ALREADY_IN_USE`; after an attempt that may have reached Plaid unanswered,
 * the latter becomes `PaymentEvaluationExistsError` (see docs/payments.md).
 */
export async function evaluatePayment(
  context: FacadeContext,
  payments: PaymentCalls,
  input: EvaluatePaymentInput,
  callOptions: CallOptions | undefined,
): Promise<EvaluatePaymentResult> {
  const valid = checkInput('evaluatePayment input', evaluatePaymentInputSchema, input);
  const call = resolveCall(context.options, '/signal/evaluate', callOptions);
  const item = await readItem(context, valid);
  const { userId, itemId, accountId, amount, paymentId, rulesetKey, userPresent } = valid;
  const key = JSON.stringify([userId, itemId, accountId, amount, paymentId, rulesetKey ?? null, userPresent ?? null]);
  return payments.flights.run(
    key,
    (signal) => evaluateOnce(context, payments.uncertain, valid, item, { ...call, signal }),
    {
      signal: call.signal,
      joinTimeoutMs: callOptions?.timeoutMs,
      timeoutError: (ms) => classifyJoinTimeout('/signal/evaluate', ms),
    },
  );
}

/** One evaluation at Plaid, its failures told apart (an evaluation that may exist, or none). */
async function evaluateOnce(
  context: FacadeContext,
  uncertain: UncertainPayments,
  valid: ValidInput,
  item: StoredItem,
  call: ResolvedCall,
): Promise<EvaluatePaymentResult> {
  const request = {
    access_token: item.accessToken,
    account_id: valid.accountId,
    client_transaction_id: valid.paymentId,
    amount: valid.amount,
    client_user_id: valid.userId,
    ...(valid.rulesetKey === undefined ? {} : { ruleset_key: valid.rulesetKey }),
    ...(valid.userPresent === undefined ? {} : { user_present: valid.userPresent }),
  } satisfies SignalEvaluateRequest;
  // How many attempts were sent: a refusal of the id after one of ours is no stranger's payment.
  const record = newCallRecord();
  let body: z.output<typeof signalEvaluateResponseSchema>;
  try {
    body = await callPlaid(context, call, {
      endpoint: '/signal/evaluate',
      request,
      schema: signalEvaluateResponseSchema,
      itemId: valid.itemId,
      accessToken: item.accessToken,
      record,
    });
  } catch (error) {
    const attempts = record.attemptsSent;
    if (isPaymentIdInUse(error) && (attempts > 1 || uncertain.has(valid.paymentId))) {
      throw new PaymentEvaluationExistsError(valid.paymentId, error);
    }
    if (attempts > 0 && mayHaveBeenEvaluated(error)) uncertain.add(valid.paymentId);
    throw error;
  }
  uncertain.delete(valid.paymentId);
  // A request id goes into results and logs: an echoing server could put a secret in it.
  const requestId = redactSecrets(body.requestId, [context.options.secret, item.accessToken]);
  return { ...body, requestId, userId: valid.userId, itemId: valid.itemId, paymentId: valid.paymentId };
}

/** Whether a failed call may still have been evaluated: anything but Plaid's own 4xx refusal. */
function mayHaveBeenEvaluated(error: unknown): boolean {
  return !(error instanceof PlaidApiError && error.status < 500);
}
