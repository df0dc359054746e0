import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { invalidField, optionalObject, optionalString, optionalStringArray, requireFields } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/sandbox/public_token/create`: Link without a browser, as in Plaid's sandbox. */
export const sandboxPublicTokenCreate: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'institution_id', 'initial_products', 'options', 'user_token', 'user_id']),
  handle(body, state) {
    const institutionId = optionalString(body, 'institution_id');
    const products = optionalStringArray(body, 'initial_products');
    const missing: string[] = [];
    if (!institutionId) missing.push('institution_id');
    if (!products) missing.push('initial_products');
    requireFields(missing);
    if (!products || products.length === 0) throw invalidField('initial_products must contain at least one product');
    if (products.includes('balance')) {
      throw invalidField('provided product is not supported as an initial product: balance');
    }
    if (!institutionId || !state.institution(institutionId)) throw plaidError('INVALID_INSTITUTION');
    const options = optionalObject(body, 'options');
    const webhook = options ? optionalString(options, 'webhook') : undefined;
    const publicToken = state.createPublicToken({ institutionId, products, webhook: webhook ?? null });
    return { public_token: publicToken, request_id: randomRequestId() };
  },
};
