import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/webhook_verification_key/get`: the public JWK of one of the fake's signing keys. */
export const webhookVerificationKeyGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'key_id']),
  handle(body, state) {
    const keyId = optionalString(body, 'key_id');
    if (!keyId) throw missingFields(['key_id']);
    const key = state.webhookKeys.lookup(keyId);
    if (!key) throw plaidError('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
    return { key, request_id: randomRequestId() };
  },
};
