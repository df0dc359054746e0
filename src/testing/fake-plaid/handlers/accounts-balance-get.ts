import { errorBody, FakePlaidErrorAnswer } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { invalidField, optionalString } from '../request.js';
import type { FakeStoredItem } from '../state.js';
import type { WireAccount } from '../types.js';
import { readAccountsRequest, selectAccounts, wireItem } from './accounts-request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/accounts/balance/get`: the Item's accounts with fresh balances, and the full `Item` object. */
export const accountsBalanceGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'access_token', 'options']),
  handle(body, state) {
    const request = readAccountsRequest(body);
    const minLastUpdated = readMinLastUpdated(optionalString(request.options, 'min_last_updated_datetime'));
    const { item, selected } = selectAccounts(state, request);
    const now = state.now().toISOString();
    const accounts = selected.map((entry): WireAccount => {
      const account = structuredClone(entry.account);
      if (entry.refreshOnRead) account.balances.last_updated_datetime = now;
      return account;
    });
    checkFreshness(item, accounts, minLastUpdated);
    return { accounts, item: wireItem(item), request_id: randomRequestId() };
  },
};

function readMinLastUpdated(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(time)) {
    throw invalidField('min_last_updated_datetime must be an ISO 8601 date-time');
  }
  return time;
}

/**
 * Institutions that do not refresh non-depository accounts on demand (Capital One) need
 * `min_last_updated_datetime` when such an account is read: without it Plaid answers
 * `INVALID_REQUEST` / `INVALID_FIELD`; with it, a balance older than it gets
 * `LAST_UPDATED_DATETIME_OUT_OF_RANGE`. Depository accounts there are read live and the option is
 * ignored for them, as everywhere else.
 */
function checkFreshness(item: FakeStoredItem, accounts: WireAccount[], minLastUpdated: number | undefined): void {
  if (!item.institution.requiresMinLastUpdated) return;
  const notLive = accounts.filter((account) => account.type !== 'depository');
  if (notLive.length === 0) return;
  if (minLastUpdated === undefined) {
    throw invalidField(
      'min_last_updated_datetime is required for non-depository accounts at this institution (ins_128026)',
    );
  }
  for (const account of notLive) {
    const stamp = account.balances.last_updated_datetime;
    if (stamp !== null && Date.parse(stamp) < minLastUpdated) {
      const body = errorBody('LAST_UPDATED_DATETIME_OUT_OF_RANGE');
      throw new FakePlaidErrorAnswer({
        ...body,
        error_message: `requested datetime out of range, most recently updated balance ${stamp}`,
      });
    }
  }
}
