import { PlaidFacadeError } from './base.js';
import type { PlaidApiError } from './plaid.js';

/**
 * Thrown by `evaluatePayment` when Plaid refused the payment id as already used
 * (`CLIENT_TRANSACTION_ID_ALREADY_IN_USE`) after an attempt with that id may have reached Plaid
 * without its answer arriving (a retry within the call, or an earlier call of this facade that
 * ended in a timeout or a lost answer). The evaluation most likely exists at Plaid, but its result
 * is lost: `outcomeUnknown` is true and `retryable` false (the same id can only be refused again).
 * Treat the payment as not evaluated: evaluate it again under a new payment id, and report the
 * lost one with `reportPaymentDecision({ paymentId, initiated: false })` so that Plaid's rules do
 * not learn from it. docs/payments.md says more.
 *
 * @example
 * ```ts
 * if (error instanceof PaymentEvaluationExistsError) await retryUnderNewId(error.paymentId);
 * ```
 */
export class PaymentEvaluationExistsError extends PlaidFacadeError {
  /** The payment id (`client_transaction_id`) Plaid refused. */
  readonly paymentId: string;
  /** The HTTP status of Plaid's refusal. */
  readonly status: number;
  /** Plaid's `error_code`: `'CLIENT_TRANSACTION_ID_ALREADY_IN_USE'`. */
  readonly errorCode: string;

  constructor(paymentId: string, refusal: PlaidApiError) {
    super(
      `/signal/evaluate: payment ${paymentId} was most likely evaluated already by an attempt whose answer was lost, and Plaid refuses its id as used (${refusal.errorCode}). Treat the payment as not evaluated: evaluate it under a new payment id.`,
      { code: 'PAYMENT_EVALUATION_EXISTS', outcomeUnknown: true, requestId: refusal.requestId },
    );
    this.paymentId = paymentId;
    this.status = refusal.status;
    this.errorCode = refusal.errorCode;
  }
}
