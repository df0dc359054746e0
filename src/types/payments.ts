/** The inputs and results of `evaluatePayment`, `reportPaymentDecision` and `reportReturn`. */
import type { OpenEnum } from '../schemas/open-enum.js';
import type { SignalEvaluation } from '../schemas/signal-evaluate.js';

/** Input of `evaluatePayment`. */
export interface EvaluatePaymentInput {
  /** Your application's id for the user (also sent as `client_user_id`). */
  userId: string;
  /** The Item of the funding account; its access token is read from the token store. */
  itemId: string;
  /** Plaid's `account_id` of the account to debit. */
  accountId: string;
  /** The amount to debit, in USD: positive, finite, at most two decimals (e.g. `102.05`). */
  amount: number;
  /**
   * Your id of this payment attempt, 1–36 characters, sent as `client_transaction_id`: Plaid's
   * idempotency key, so every retry of the same payment is the same evaluation. Use a new id for
   * each new attempt; report decisions and returns with it.
   */
  paymentId: string;
  /** The ruleset to evaluate with (Dashboard > Signal > Rules). Default: Plaid's `default` ruleset. */
  rulesetKey?: string | undefined;
  /** Whether the user is present (deprecated by Plaid, ignored by Balance-only rulesets). */
  userPresent?: boolean | undefined;
}

/** Result of `evaluatePayment`: Plaid's evaluation, plus the call's user, Item and payment. */
export type EvaluatePaymentResult = SignalEvaluation & {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** The payment id, as given (Plaid's `client_transaction_id`). */
  paymentId: string;
};

/** Input of `reportPaymentDecision` (`/signal/decision/report`). */
export interface ReportPaymentDecisionInput {
  /** The payment id given to `evaluatePayment`. */
  paymentId: string;
  /** Whether you initiated the ACH debit. */
  initiated: boolean;
  /** Days you held the funds before making them available (0: the same day). */
  daysFundsOnHold?: number | null | undefined;
  /** Your decision: `'APPROVE'`, `'REVIEW'`, `'REJECT'`, `'TAKE_OTHER_RISK_MEASURES'`, `'NOT_EVALUATED'`. */
  decisionOutcome?:
    | OpenEnum<'APPROVE' | 'REVIEW' | 'REJECT' | 'TAKE_OTHER_RISK_MEASURES' | 'NOT_EVALUATED'>
    | null
    | undefined;
  /** The rail used: `'SAME_DAY_ACH'`, `'NEXT_DAY_ACH'`, `'STANDARD_ACH'`, `'MULTIPLE_PAYMENT_METHODS'`. */
  paymentMethod?:
    | OpenEnum<'SAME_DAY_ACH' | 'NEXT_DAY_ACH' | 'STANDARD_ACH' | 'MULTIPLE_PAYMENT_METHODS'>
    | null
    | undefined;
  /** The amount (USD) made available to the user at once, or null. */
  amountInstantlyAvailable?: number | null | undefined;
  /** When the debit was submitted to the bank. */
  submittedAt?: Date | undefined;
}

/** Input of `reportReturn` (`/signal/return/report`). */
export interface ReportReturnInput {
  /** The payment id given to `evaluatePayment`. */
  paymentId: string;
  /** The ACH return code, e.g. `'R01'`. */
  returnCode: string;
  /** When the return happened, or null. */
  returnedAt?: Date | null | undefined;
}

/** Result of `reportPaymentDecision` and `reportReturn`. */
export interface SignalReportResult {
  /** The payment id, as given. */
  paymentId: string;
  /** Plaid's request id. */
  requestId: string;
}
