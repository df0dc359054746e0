import { randomRequestId } from '../ids.js';
import { readAccountsRequest, selectAccounts, wireItem } from './accounts-request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/**
 * `/accounts/get`: the Item's accounts with the balances Plaid last cached (free, never billed). The
 * fake's cache is the balance as last seeded or set; it never asks "the bank", so it needs no
 * `min_last_updated_datetime`, not even for Capital One.
 */
export const accountsGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'options']),
  handle(body, state) {
    const { item, selected } = selectAccounts(state, readAccountsRequest(body));
    const accounts = selected.map((entry) => structuredClone(entry.account));
    return { accounts, item: wireItem(item), request_id: randomRequestId() };
  },
};
