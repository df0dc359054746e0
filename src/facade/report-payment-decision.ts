import type { SignalDecisionReportRequest } from 'plaid';
import { type CallOptions, checkInput, resolveCall } from '../options.js';
import { z } from '../schemas/zod.js';
import type { ReportPaymentDecisionInput, SignalReportResult } from '../types.js';
import { paymentIdSchema } from './evaluate-payment.js';
import { type FacadeContext, plaidEnums } from './internal/context.js';
import { sendSignalReport } from './internal/signal-report.js';

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date');
// Open values (Plaid adds some): any non-blank upper-case word passes.
const plaidWord = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be one of Plaid’s values, e.g. APPROVE or SAME_DAY_ACH');

const decisionInputSchema = z
  .object({
    paymentId: paymentIdSchema,
    initiated: z.boolean({ required_error: 'is required (true if you initiated the debit)' }),
    daysFundsOnHold: z.number().int().min(0).max(3_650).nullable().optional(),
    decisionOutcome: plaidWord.nullable().optional(),
    paymentMethod: plaidWord.nullable().optional(),
    amountInstantlyAvailable: z.number().finite().min(0).nullable().optional(),
    submittedAt: validDate.optional(),
  })
  .strict();

/**
 * Reports what was done with an evaluated payment (`/signal/decision/report`), so that Plaid's
 * rules learn from it. Call it again to correct an earlier report (the latest one counts).
 */
export async function reportPaymentDecision(
  context: FacadeContext,
  input: ReportPaymentDecisionInput,
  callOptions: CallOptions | undefined,
): Promise<SignalReportResult> {
  const valid = checkInput('reportPaymentDecision input', decisionInputSchema, input);
  const call = resolveCall(context.options, '/signal/decision/report', callOptions);
  type Outcome = NonNullable<SignalDecisionReportRequest['decision_outcome']>;
  type Method = NonNullable<SignalDecisionReportRequest['payment_method']>;
  const request = {
    client_transaction_id: valid.paymentId,
    initiated: valid.initiated,
    ...(valid.daysFundsOnHold === undefined ? {} : { days_funds_on_hold: valid.daysFundsOnHold }),
    ...(valid.decisionOutcome == null ? {} : { decision_outcome: plaidEnums<Outcome>([valid.decisionOutcome])[0] }),
    ...(valid.paymentMethod == null ? {} : { payment_method: plaidEnums<Method>([valid.paymentMethod])[0] }),
    ...(valid.amountInstantlyAvailable === undefined
      ? {}
      : { amount_instantly_available: valid.amountInstantlyAvailable }),
    ...(valid.submittedAt ? { submitted_at: valid.submittedAt.toISOString() } : {}),
  } satisfies SignalDecisionReportRequest;
  return sendSignalReport(context, call, '/signal/decision/report', request, valid.paymentId);
}
