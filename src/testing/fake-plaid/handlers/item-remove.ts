import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/item/remove`: the access token stops working at once. */
export const itemRemove: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'reason_code', 'reason_note']),
  handle(body, state) {
    const accessToken = optionalString(body, 'access_token');
    if (!accessToken) throw missingFields(['access_token']);
    const item = state.itemByAccessToken(accessToken);
    if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
    state.removeItem(item);
    return { request_id: randomRequestId() };
  },
};
