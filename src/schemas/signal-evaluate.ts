import { dateTimeSchema } from './date-time.js';
import { type OpenEnum, openEnum } from './open-enum.js';
import { z } from './zod.js';

/*
 * `/signal/evaluate` (`SignalEvaluateResponse`), from Plaid's OpenAPI description (API 2020-09-14,
 * spec 1.697.4) and the official client's `.d.ts` (plaid 47). Required: `request_id`, `scores`
 * (nullable: a Balance-only ruleset returns none) and `warnings`. Optional: `core_attributes`,
 * `ruleset` and the deprecated `risk_profile` (both nullable). Objects are open (Plaid adds
 * fields), enums are open (Plaid adds values). In 2025 the ruleset's result moved from
 * `triggered_rule_details` to `ruleset.result`: an answer in the older shape is read too.
 */

/**
 * `RuleResult`: what the ruleset decided for the payment. `ACCEPT`: process it; `REROUTE`: too
 * risky for ACH, offer another payment method; `REVIEW`: review it before proceeding. Plaid may add
 * values: treat an unknown one as `REVIEW`.
 *
 * @inline
 */
export type SignalRuleResult = OpenEnum<'ACCEPT' | 'REROUTE' | 'REVIEW'>;

// JSON.parse reads `1e999` as Infinity, which is no amount of money.
const amount = z.number().finite();

/** A return-risk score: `score` 1–99 (higher is riskier) and the deprecated `risk_tier`. */
const returnRiskSchema = z
  .object({
    score: z.number().int(),
    // deprecated by Plaid (required still): read when present, null when gone
    risk_tier: z.number().int().nullable().optional(),
  })
  .transform((risk) => ({
    /** 1–99: the higher, the likelier a return. */
    score: risk.score,
    /** Plaid's deprecated risk tier (1–5 customer-initiated, 1–8 bank-initiated), or null. */
    riskTier: risk.risk_tier ?? null,
  }));

/** `SignalScores`: nullable; each score optional. */
const scoresSchema = z
  .object({
    customer_initiated_return_risk: returnRiskSchema.nullable().optional(),
    bank_initiated_return_risk: returnRiskSchema.nullable().optional(),
  })
  .nullable()
  .transform((scores) =>
    scores === null
      ? null
      : {
          /** Risk of a return the account holder initiates (R05, R07, R10, ...), or null when not scored. */
          customerInitiatedReturnRisk: scores.customer_initiated_return_risk ?? null,
          /** Risk of a return the bank initiates (R01 insufficient funds, ...), or null when not scored. */
          bankInitiatedReturnRisk: scores.bank_initiated_return_risk ?? null,
        },
  );

/** `RuleDetails` (nullable), with the `result` older answers carried here. */
const triggeredRuleSchema = z
  .object({
    internal_note: z.string().nullable().optional(),
    custom_action_key: z.string().nullable().optional(),
    result: openEnum<'ACCEPT' | 'REROUTE' | 'REVIEW'>().optional(),
  })
  .nullable()
  .optional();

/** `Ruleset` (nullable; omitted when Plaid applied none). `result` is required in the current shape. */
const rulesetSchema = z
  .object({
    ruleset_key: z.string().nullable().optional(),
    result: openEnum<'ACCEPT' | 'REROUTE' | 'REVIEW'>().optional(),
    triggered_rule_details: triggeredRuleSchema,
    outcome: z.string().nullable().optional(),
  })
  .superRefine((ruleset, context) => {
    if (ruleset.result === undefined && ruleset.triggered_rule_details?.result === undefined) {
      context.addIssue({ code: 'custom', path: ['result'], message: 'Required' });
    }
  })
  .nullable()
  .optional();

/**
 * `SignalEvaluateCoreAttributes`: open, with over 80 members for Signal Transaction Scores
 * rulesets; a Balance-only ruleset returns only the balances. Only the balances are checked.
 */
const coreAttributesSchema = z
  .object({
    available_balance: amount.nullable().optional(),
    current_balance: amount.nullable().optional(),
    balance_last_updated: dateTimeSchema.nullable().optional(),
  })
  .passthrough()
  .nullable()
  .optional();

/** `SignalWarning`: every member optional. */
const warningSchema = z
  .object({
    warning_type: z.string().nullable().optional(),
    warning_code: z.string().nullable().optional(),
    warning_message: z.string().nullable().optional(),
  })
  .transform((warning) => ({
    /** A broad category of the warning, safe for programmatic use; null when absent. */
    warningType: warning.warning_type ?? null,
    /** Why bank data was missing or stale (e.g. `ITEM_LOGIN_REQUIRED`: send the user to Link's update mode); null when absent. */
    warningCode: warning.warning_code ?? null,
    /** For developers; may change over time. Null when absent. */
    warningMessage: warning.warning_message ?? null,
  }));

/**
 * A return-risk score.
 * @inline
 */
interface ReturnRisk {
  /** 1–99: the higher, the likelier a return. */
  score: number;
  /** Plaid's deprecated risk tier (1–5 customer-initiated, 1–8 bank-initiated), or null. */
  riskTier: number | null;
}

/**
 * What `/signal/evaluate` said about a payment, as the facade returns it. Declared rather than
 * inferred (a check below holds it to the schema's output) so that the published declarations carry
 * this interface, not zod's generics.
 */
export interface SignalEvaluation {
  /**
   * The ruleset's result (`ruleset.result`, or the older `triggered_rule_details.result`). Null
   * only when Plaid applied no ruleset: Signal Transaction Scores customers from before
   * 2025-10-15 who send no `ruleset_key`; read `scores` then.
   */
  result: SignalRuleResult | null;
  /** The key of the ruleset Plaid applied, or null when it did not say (or applied none). */
  rulesetKey: string | null;
  /** The rule that decided (its Dashboard `custom_action_key` and `internal_note`), or null. */
  triggeredRule: {
    /** Your key for the action (e.g. `'3-day-hold'`), defined in the Dashboard; null when none. */
    customActionKey: string | null;
    /** The rule's note for your team, defined in the Dashboard; null when none. */
    internalNote: string | null;
  } | null;
  /** The balances the evaluation used (from `core_attributes`), or null when Plaid sent none. */
  balances: {
    /** Available balance of the funding account, as of `lastUpdated`; null when unknown. */
    available: number | null;
    /** Current balance of the funding account, as of `lastUpdated`; null when unknown. */
    current: number | null;
    /** When the balance was last updated; null when Plaid did not say. */
    lastUpdated: Date | null;
  } | null;
  /** The return-risk scores, or null (a Balance-only ruleset returns none). */
  scores: {
    /** Risk of a return the account holder initiates (R05, R07, R10, ...), or null when not scored. */
    customerInitiatedReturnRisk: ReturnRisk | null;
    /** Risk of a return the bank initiates (R01 insufficient funds, ...), or null when not scored. */
    bankInitiatedReturnRisk: ReturnRisk | null;
  } | null;
  /**
   * Plaid's other core attributes as sent (snake_case; e.g. `days_since_first_plaid_connection`),
   * over 80 for Signal Transaction Scores rulesets; null when Plaid sent none.
   */
  coreAttributes: Record<string, unknown> | null;
  /** Why bank data was missing or stale for this evaluation; empty when none. */
  warnings: Array<{
    /** A broad category of the warning, safe for programmatic use; null when absent. */
    warningType: string | null;
    /** Why bank data was missing or stale (e.g. `ITEM_LOGIN_REQUIRED`: send the user to Link's update mode); null when absent. */
    warningCode: string | null;
    /** For developers; may change over time. Null when absent. */
    warningMessage: string | null;
  }>;
  /** Plaid's request id. */
  requestId: string;
}

const responseSchema = z
  .object({
    request_id: z.string(),
    scores: scoresSchema,
    core_attributes: coreAttributesSchema,
    ruleset: rulesetSchema,
    warnings: z.array(warningSchema).max(1_000),
  })
  .transform((body) => {
    const ruleset = body.ruleset ?? null;
    const triggered = ruleset?.triggered_rule_details ?? null;
    const core = body.core_attributes ?? null;
    const hasBalances =
      core !== null && ['available_balance', 'current_balance', 'balance_last_updated'].some((key) => key in core);
    const { available_balance, current_balance, balance_last_updated, ...otherAttributes } = core ?? {};
    return {
      /**
       * The ruleset's result (`ruleset.result`, or the older `triggered_rule_details.result`). Null
       * only when Plaid applied no ruleset: Signal Transaction Scores customers from before
       * 2025-10-15 who send no `ruleset_key`; read `scores` then.
       */
      result: (ruleset?.result ?? triggered?.result ?? null) as SignalRuleResult | null,
      /** The key of the ruleset Plaid applied, or null when it did not say (or applied none). */
      rulesetKey: ruleset?.ruleset_key ?? null,
      /** The rule that decided (its Dashboard `custom_action_key` and `internal_note`), or null. */
      triggeredRule:
        triggered === null
          ? null
          : {
              /** Your key for the action (e.g. `'3-day-hold'`), defined in the Dashboard; null when none. */
              customActionKey: triggered.custom_action_key ?? null,
              /** The rule's note for your team, defined in the Dashboard; null when none. */
              internalNote: triggered.internal_note ?? null,
            },
      /** The balances the evaluation used (from `core_attributes`), or null when Plaid sent none. */
      balances: hasBalances
        ? {
            /** Available balance of the funding account, as of `lastUpdated`; null when unknown. */
            available: available_balance ?? null,
            /** Current balance of the funding account, as of `lastUpdated`; null when unknown. */
            current: current_balance ?? null,
            /** When the balance was last updated; null when Plaid did not say. */
            lastUpdated: balance_last_updated ?? null,
          }
        : null,
      /** The return-risk scores, or null (a Balance-only ruleset returns none). */
      scores: body.scores,
      /**
       * Plaid's other core attributes as sent (snake_case; e.g. `days_since_first_plaid_connection`),
       * over 80 for Signal Transaction Scores rulesets; null when Plaid sent none.
       */
      coreAttributes: core === null ? null : (otherAttributes as Record<string, unknown>),
      /** Why bank data was missing or stale for this evaluation; empty when none. */
      warnings: body.warnings,
      /** Plaid's request id. */
      requestId: body.request_id,
    };
  });

// The declared interface and the schema's output must be the same type: either drifting fails tsc.
type Inferred = z.output<typeof responseSchema>;
const same: [Inferred] extends [SignalEvaluation] ? ([SignalEvaluation] extends [Inferred] ? true : never) : never =
  true;
void same;

/** Answer of `/signal/evaluate`, read into the facade's camelCase result (`SignalEvaluation`). */
export const signalEvaluateResponseSchema: z.ZodType<SignalEvaluation, z.ZodTypeDef, unknown> = responseSchema;

/** Answer of `/signal/decision/report` and `/signal/return/report`: only a request id. */
export const signalReportResponseSchema = z.object({ request_id: z.string() });
