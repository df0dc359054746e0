import { terminateReasonCodes } from '../../../schemas/item-products-terminate.js';
import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler, requestedItem } from './handler.js';

const reasons: ReadonlySet<string> = new Set(terminateReasonCodes);

/**
 * `/item/products/terminate`: like `/item/remove`, the access token stops working at once;
 * `reason_code` is required and must be one of Plaid's `ProductsTerminateReasonCode`s.
 */
export const itemProductsTerminate: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'reason_code', 'reason_note']),
  handle(body, state) {
    const reason = optionalString(body, 'reason_code');
    if (!reason) throw missingFields(['reason_code']);
    if (!reasons.has(reason))
      throw plaidError('INVALID_FIELD', `reason_code must be one of ${[...reasons].join(', ')}`);
    const item = requestedItem(body, state);
    state.removeItem(item);
    return { request_id: randomRequestId() };
  },
};
