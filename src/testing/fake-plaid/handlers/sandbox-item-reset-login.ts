import { randomRequestId } from '../ids.js';
import { credentialKeys, type EndpointHandler, requestedItem } from './handler.js';

/**
 * `/sandbox/item/reset_login`: the Item needs its user again (`ITEM_LOGIN_REQUIRED`) until an
 * update-mode link or a `LOGIN_REPAIRED` webhook fired for it. Its data calls fail with that error;
 * `/item/get` shows it. (No webhook is sent: fire an `ERROR` one with `/sandbox/item/fire_webhook`.)
 */
export const sandboxItemResetLogin: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token']),
  handle(body, state) {
    const item = requestedItem(body, state);
    state.itemErrors.set(item.itemId, 'ITEM_LOGIN_REQUIRED');
    return { reset_login: true, request_id: randomRequestId() };
  },
};
