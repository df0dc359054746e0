import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { deliver, itemWebhook } from '../item-health.js';
import { invalidField, missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

// The codes of `SandboxItemFireWebhookRequest` and the type each belongs to.
const codeTypes: Record<string, string> = {
  DEFAULT_UPDATE: 'TRANSACTIONS',
  NEW_ACCOUNTS_AVAILABLE: 'ITEM',
  SMS_MICRODEPOSITS_VERIFICATION: 'AUTH',
  AUTHORIZATION_GRANTED: 'INCOME',
  USER_PERMISSION_REVOKED: 'ITEM',
  USER_ACCOUNT_REVOKED: 'ITEM',
  PENDING_DISCONNECT: 'ITEM',
  RECURRING_TRANSACTIONS_UPDATE: 'TRANSACTIONS',
  LOGIN_REPAIRED: 'ITEM',
  SYNC_UPDATES_AVAILABLE: 'TRANSACTIONS',
  PRODUCT_READY: 'ASSETS',
  ERROR: 'ITEM',
};

/**
 * `/sandbox/item/fire_webhook`: sends the Item's webhook URL a signed webhook of that code (in the
 * background; `fake.flushWebhooks()` waits for it). `ERROR` also breaks the Item
 * (`ITEM_LOGIN_REQUIRED`), `LOGIN_REPAIRED` mends it.
 */
export const sandboxItemFireWebhook: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'webhook_type', 'webhook_code']),
  handle(body, state) {
    const accessToken = optionalString(body, 'access_token');
    const code = optionalString(body, 'webhook_code');
    const missing = [...(accessToken ? [] : ['access_token']), ...(code ? [] : ['webhook_code'])];
    if (!accessToken || !code) throw missingFields(missing);
    const type = optionalString(body, 'webhook_type') ?? codeTypes[code];
    if (!type || !(code in codeTypes)) throw invalidField(`webhook_code ${code} cannot be fired`);
    const item = state.itemByAccessToken(accessToken);
    if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
    if (!item.webhook) throw invalidField('the Item has no webhook URL');
    if (code === 'ERROR') state.itemErrors.set(item.itemId, 'ITEM_LOGIN_REQUIRED');
    if (code === 'LOGIN_REPAIRED') state.itemErrors.delete(item.itemId);
    const webhook = itemWebhook(state, type, code, { item_id: item.itemId });
    state.lastWebhooks.set(item.itemId, { sentAt: state.now().toISOString(), code });
    deliver(state, item.webhook, webhook);
    return { webhook_fired: true, request_id: randomRequestId() };
  },
};
