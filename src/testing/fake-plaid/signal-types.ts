/**
 * Public types of the fake Plaid's `/signal/evaluate` (signal.ts): what an evaluation answers,
 * what a repeated `client_transaction_id` gets, and the evaluations kept for assertions.
 */

/** What a repeated `client_transaction_id` gets from the fake's `/signal/evaluate`. */
export type FakeSignalDuplicateMode =
  /** The first evaluation again, with a new `request_id` (a different request under the id: an error). */
  | 'replay'
  /** Always `SIGNAL_ERROR` `CLIENT_TRANSACTION_ID_ALREADY_IN_USE` (HTTP 400). */
  | 'error';

/** A return-risk score on the wire. */
export interface FakeReturnRisk {
  /** 1–99. */
  score: number;
  /** Deprecated by Plaid; 1–5 or 1–8. */
  risk_tier: number;
}

/**
 * The ruleset outcome an Item's evaluations get (`fake.setSignalOutcome`), in Plaid's wire shape.
 * Members left out: `result` `'ACCEPT'`, the request's `ruleset_key` or `'default'`, no scores (a
 * Balance-only ruleset), no warnings, `core_attributes` with the account's balances.
 */
export interface FakeSignalOutcome {
  /** The ruleset's result; any string (Plaid may add values). */
  result?: string;
  /** The ruleset key answered (null: the key left out of the answer). */
  ruleset_key?: string | null;
  /** The triggered rule's `custom_action_key`. */
  custom_action_key?: string;
  /** `'legacy'`: the result inside `triggered_rule_details` (before 2025); `'none'`: no ruleset applied. */
  shape?: 'current' | 'legacy' | 'none';
  /** The scores (null or left out: none, as with a Balance-only ruleset). */
  scores?: {
    /** Risk of a return the account holder initiates. */
    customer_initiated_return_risk?: FakeReturnRisk;
    /** Risk of a return the bank initiates. */
    bank_initiated_return_risk?: FakeReturnRisk;
  } | null;
  /** Warnings to answer. */
  warnings?: Array<{
    /** A broad category. */
    warning_type?: string;
    /** The warning's code, e.g. `ITEM_LOGIN_REQUIRED`. */
    warning_code?: string;
    /** For developers. */
    warning_message?: string;
  }>;
  /** Core attributes sent besides (or instead of) the balances. */
  core_attributes?: Record<string, unknown>;
}

/** One evaluation the fake carried out, for assertions. */
export interface FakeSignalEvaluation {
  /** The request's `client_transaction_id`. */
  clientTransactionId: string;
  /** The Item evaluated. */
  itemId: string;
  /** The account to debit. */
  accountId: string;
  /** The amount asked about. */
  amount: number;
  /** The body answered (its `request_id` is the first answer's). */
  answer: Record<string, unknown>;
  /** Decision reports received for it, oldest first. */
  decisions: Array<{
    /** The report's `initiated`. */
    initiated: boolean;
  }>;
  /** Return reports received for it, oldest first. */
  returns: Array<{
    /** The report's `return_code`. */
    returnCode: string;
  }>;
}
