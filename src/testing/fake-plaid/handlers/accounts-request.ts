/**
 * What `/accounts/get` and `/accounts/balance/get` both read: the access token and
 * `options.account_ids`, then the Item and the accounts asked for (Plaid's errors in Plaid's order:
 * `MISSING_FIELDS`, then what the endpoint reads of its options, then `INVALID_ACCESS_TOKEN`,
 * `INVALID_ACCOUNT_ID`), and Plaid's `Item` object both answer with.
 */
import { plaidError } from '../errors.js';
import { type JsonBody, missingFields, optionalObject, optionalString, optionalStringArray } from '../request.js';
import type { FakePlaidState, FakeStoredItem } from '../state.js';

/** An accounts request as read, before its Item is looked up. */
export interface AccountsRequest {
  accessToken: string;
  /** `options`, `{}` when absent, for what the endpoint reads of its own. */
  options: JsonBody;
  accountIds: string[] | undefined;
}

/** Reads the access token and `options.account_ids` (`MISSING_FIELDS` without a token). */
export function readAccountsRequest(body: JsonBody): AccountsRequest {
  const accessToken = optionalString(body, 'access_token');
  if (!accessToken) throw missingFields(['access_token']);
  const options = optionalObject(body, 'options') ?? {};
  return { accessToken, options, accountIds: optionalStringArray(options, 'account_ids') };
}

/** The Item and the accounts the request asks for, in the Item's order. */
export function selectAccounts(
  state: FakePlaidState,
  request: AccountsRequest,
): { item: FakeStoredItem; selected: FakeStoredItem['accounts'] } {
  const { accountIds } = request;
  const item = state.itemByAccessToken(request.accessToken);
  if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
  const known = new Set(item.accounts.map((entry) => entry.account.account_id));
  if (accountIds?.some((id) => !known.has(id))) throw plaidError('INVALID_ACCOUNT_ID');
  const selected = item.accounts.filter((entry) => !accountIds || accountIds.includes(entry.account.account_id));
  return { item, selected };
}

/** Plaid's `Item` object: every required key present, nullable ones null. */
export function wireItem(item: FakeStoredItem): Record<string, unknown> {
  return {
    item_id: item.itemId,
    institution_id: item.institution.id,
    institution_name: item.institution.name,
    webhook: item.webhook,
    auth_method: null,
    error: null,
    available_products: ['balance', 'identity', 'investments', 'liabilities', 'transactions'].filter(
      (product) => !item.products.includes(product),
    ),
    billed_products: [...item.products],
    products: [...item.products],
    consented_products: [...item.products],
    consent_expiration_time: null,
    update_type: 'background',
  };
}
