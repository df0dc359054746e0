/**
 * What `reportPaymentDecision` and `reportReturn` share once their request is built: one call to
 * Plaid's report endpoint, answered with the payment id and Plaid's request id.
 */
import { redactSecrets } from '../../errors.js';
import type { ResolvedCall } from '../../options.js';
import type { PlaidRequests } from '../../pipeline/official-client.js';
import { signalReportResponseSchema } from '../../schemas/signal-evaluate.js';
import type { SignalReportResult } from '../../types.js';
import { callPlaid, type FacadeContext } from './context.js';

/** The Signal report endpoints. */
type SignalReportEndpoint = '/signal/decision/report' | '/signal/return/report';

/** Sends one Signal report for `paymentId` and answers with the ids the caller gets back. */
export async function sendSignalReport<Endpoint extends SignalReportEndpoint>(
  context: FacadeContext,
  call: ResolvedCall,
  endpoint: Endpoint,
  request: PlaidRequests[Endpoint],
  paymentId: string,
): Promise<SignalReportResult> {
  const body = await callPlaid(context, call, { endpoint, schema: signalReportResponseSchema, request });
  return { paymentId, requestId: redactSecrets(body.request_id, [context.options.secret]) };
}
