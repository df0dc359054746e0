import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { missingFields, optionalObject, optionalString, optionalStringArray } from '../request.js';
import { wireItem } from './accounts-balance-get.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/**
 * `/accounts/get`: the Item's accounts with the balances Plaid last cached (free, never billed). The
 * fake's cache is the balance as last seeded or set; it never asks "the bank", so it needs no
 * `min_last_updated_datetime`, not even for Capital One.
 */
export const accountsGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'options']),
  handle(body, state) {
    const accessToken = optionalString(body, 'access_token');
    if (!accessToken) throw missingFields(['access_token']);
    const options = optionalObject(body, 'options') ?? {};
    const accountIds = optionalStringArray(options, 'account_ids');
    const item = state.itemByAccessToken(accessToken);
    if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
    const known = new Set(item.accounts.map((entry) => entry.account.account_id));
    if (accountIds?.some((id) => !known.has(id))) throw plaidError('INVALID_ACCOUNT_ID');
    const accounts = item.accounts
      .filter((entry) => !accountIds || accountIds.includes(entry.account.account_id))
      .map((entry) => structuredClone(entry.account));
    return { accounts, item: wireItem(item), request_id: randomRequestId() };
  },
};
