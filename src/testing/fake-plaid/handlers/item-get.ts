import { randomRequestId } from '../ids.js';
import { itemErrorBody } from '../item-health.js';
import { credentialKeys, type EndpointHandler, requestedItem } from './handler.js';

/**
 * `/item/get`: the Item (an `ItemWithConsentFields`), with its `error` (non-null only while it is
 * broken, e.g. after `reset_login`), `created_at` and the consent fields.
 */
export const itemGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token']),
  handle(body, state) {
    const item = requestedItem(body, state);
    const lastWebhook = state.lastWebhooks.get(item.itemId);
    return {
      item: {
        item_id: item.itemId,
        institution_id: item.institution.id,
        institution_name: item.institution.name,
        webhook: item.webhook,
        auth_method: null,
        error: itemErrorBody(state, item.itemId),
        available_products: [],
        billed_products: [...item.products],
        products: [...item.products],
        consented_products: [...item.products],
        consent_expiration_time: null,
        update_type: 'background',
        created_at: item.createdAt,
        consented_use_cases: [],
        consented_data_scopes: ['account_balance_info'],
      },
      status: lastWebhook ? { last_webhook: { sent_at: lastWebhook.sentAt, code_sent: lastWebhook.code } } : null,
      request_id: randomRequestId(),
    };
  },
};
