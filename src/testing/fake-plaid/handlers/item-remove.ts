import { randomRequestId } from '../ids.js';
import { credentialKeys, type EndpointHandler, requestedItem } from './handler.js';

/** `/item/remove`: the access token stops working at once. */
export const itemRemove: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'reason_code', 'reason_note']),
  handle(body, state) {
    const item = requestedItem(body, state);
    state.removeItem(item);
    return { request_id: randomRequestId() };
  },
};
