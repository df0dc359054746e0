import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/item/public_token/exchange`: a public token works once, within 30 minutes. */
export const itemPublicTokenExchange: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'public_token']),
  handle(body, state) {
    const publicToken = optionalString(body, 'public_token');
    if (!publicToken) throw missingFields(['public_token']);
    const item = state.exchangePublicToken(publicToken);
    if (!item) throw plaidError('INVALID_PUBLIC_TOKEN');
    return { access_token: item.accessToken, item_id: item.itemId, request_id: randomRequestId() };
  },
};
