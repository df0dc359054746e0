import type { SignalReturnReportRequest } from 'plaid';
import { type CallOptions, checkInput, resolveCall } from '../options.js';
import { z } from '../schemas/zod.js';
import type { ReportReturnInput, SignalReportResult } from '../types.js';
import { paymentIdSchema } from './evaluate-payment.js';
import type { FacadeContext } from './internal/context.js';
import { sendSignalReport } from './internal/signal-report.js';

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date');

const returnInputSchema = z
  .object({
    paymentId: paymentIdSchema,
    // Nacha return codes: R followed by two digits (R01 ... R85).
    returnCode: z.string().regex(/^R\d{2}$/, 'must be an ACH return code such as R01'),
    returnedAt: validDate.nullable().optional(),
  })
  .strict();

/** Reports that an evaluated payment was returned (`/signal/return/report`), so that Plaid's rules learn. */
export async function reportReturn(
  context: FacadeContext,
  input: ReportReturnInput,
  callOptions: CallOptions | undefined,
): Promise<SignalReportResult> {
  const valid = checkInput('reportReturn input', returnInputSchema, input);
  const call = resolveCall(context.options, '/signal/return/report', callOptions);
  const request = {
    client_transaction_id: valid.paymentId,
    return_code: valid.returnCode,
    ...(valid.returnedAt === undefined ? {} : { returned_at: valid.returnedAt?.toISOString() ?? null }),
  } satisfies SignalReturnReportRequest;
  return sendSignalReport(context, call, '/signal/return/report', request, valid.paymentId);
}
