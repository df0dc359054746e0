import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { invalidField, missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/**
 * `/signal/decision/report`: records whether the evaluated payment was initiated (the latest
 * report counts). An id never evaluated gets `INVALID_FIELD` (the fake's choice: Plaid does not say).
 */
export const signalDecisionReport: EndpointHandler = {
  allowed: new Set([
    ...credentialKeys,
    'client_transaction_id',
    'initiated',
    'days_funds_on_hold',
    'decision_outcome',
    'payment_method',
    'amount_instantly_available',
    'submitted_at',
  ]),
  handle(body, state) {
    const id = optionalString(body, 'client_transaction_id');
    const missing = [...(id ? [] : ['client_transaction_id']), ...(body.initiated === undefined ? ['initiated'] : [])];
    if (missing.length > 0) throw missingFields(missing);
    if (typeof body.initiated !== 'boolean') throw invalidField('initiated must be a boolean');
    if (!state.signal.reportDecision(id as string, body.initiated)) {
      throw invalidField('client_transaction_id was never evaluated');
    }
    return { request_id: randomRequestId() };
  },
};

/**
 * `/signal/return/report`: records a return. `SIGNAL_TRANSACTION_NOT_INITIATED` when the latest
 * decision report said the payment was not initiated, as Plaid answers.
 */
export const signalReturnReport: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'client_transaction_id', 'return_code', 'returned_at']),
  handle(body, state) {
    const id = optionalString(body, 'client_transaction_id');
    const returnCode = optionalString(body, 'return_code');
    const missing = [...(id ? [] : ['client_transaction_id']), ...(returnCode ? [] : ['return_code'])];
    if (missing.length > 0) throw missingFields(missing);
    if (!/^R\d{2}$/.test(returnCode as string)) throw invalidField('return_code must be an ACH return code');
    if (state.signal.reportedNotInitiated(id as string)) throw plaidError('SIGNAL_TRANSACTION_NOT_INITIATED');
    if (!state.signal.reportReturn(id as string, returnCode as string)) {
      throw invalidField('client_transaction_id was never evaluated');
    }
    return { request_id: randomRequestId() };
  },
};
