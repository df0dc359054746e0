import type { JsonBody } from './request.js';

/** What a misbehaving proxy or gateway might send with HTTP 200: not JSON at all. */
export const nonJsonBody = '<html><body><h1>502 Bad Gateway</h1></body></html>';

/**
 * A copy of a success body that breaks Plaid's schema in a way real drift would: a number sent as a
 * string, a required member missing or of the wrong type.
 */
export function breakSchema(endpoint: string, body: JsonBody): JsonBody {
  const copy = structuredClone(body);
  switch (endpoint) {
    case '/accounts/balance/get':
    case '/accounts/get': {
      const accounts = copy.accounts as Array<{ balances: Record<string, unknown> }>;
      if (accounts[0]) accounts[0].balances.current = String(accounts[0].balances.current ?? '0.00');
      delete copy.item;
      return copy;
    }
    case '/link/token/create':
      copy.expiration = 'tomorrow';
      return copy;
    case '/item/public_token/exchange':
      delete copy.access_token;
      return copy;
    default:
      copy.request_id = 12345;
      return copy;
  }
}
