import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { invalidField, type JsonBody, missingFields, optionalString } from '../request.js';
import type { FakePlaidState, FakeStoredItem } from '../state.js';
import type { FakeSignalOutcome } from '../types.js';
import { credentialKeys, type EndpointHandler, requestedItem } from './handler.js';

/** Every top-level key of Plaid's `SignalEvaluateRequest`. */
const allowed = new Set([
  ...credentialKeys,
  'access_token',
  'account_id',
  'client_transaction_id',
  'amount',
  'user_present',
  'client_user_id',
  'is_recurring',
  'default_payment_method',
  'user',
  'device',
  'risk_profile_key',
  'ruleset_key',
]);

/**
 * `/signal/evaluate` as a Balance-only ruleset answers it (the fake's client has not signed the
 * Signal Addendum: `user` or `device` get `ADDENDUM_NOT_SIGNED`): the Item's programmed outcome
 * (`fake.setSignalOutcome`), the account's balances in `core_attributes`, no scores unless
 * programmed. A repeated `client_transaction_id` gets the first evaluation or an error, as
 * `fake.setSignalDuplicateMode` says.
 */
export const signalEvaluate: EndpointHandler = {
  allowed,
  handle(body, state) {
    const missing = ['access_token', 'account_id', 'client_transaction_id', 'amount'].filter(
      (key) => body[key] === undefined || body[key] === null,
    );
    if (missing.length > 0) throw missingFields(missing);
    const item = requestedItem(body, state);
    const accountId = optionalString(body, 'account_id') as string;
    const id = optionalString(body, 'client_transaction_id') as string;
    if (id.length < 1 || id.length > 36) throw invalidField('client_transaction_id must be 1 to 36 characters');
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) throw invalidField('amount must be a number');
    const rulesetKey = optionalString(body, 'ruleset_key');
    if (body.user !== undefined || body.device !== undefined) throw plaidError('ADDENDUM_NOT_SIGNED');
    const account = item.accounts.find((entry) => entry.account.account_id === accountId);
    if (!account) throw plaidError('INVALID_ACCOUNT_ID');

    const fingerprint = JSON.stringify([item.accessToken, accountId, amount, rulesetKey ?? null]);
    const earlier = state.signal.find(id);
    if (earlier) {
      if (state.signal.duplicateMode === 'error' || earlier.fingerprint !== fingerprint) {
        throw plaidError('CLIENT_TRANSACTION_ID_ALREADY_IN_USE');
      }
      return { ...structuredClone(earlier.evaluation.answer), request_id: randomRequestId() };
    }
    const answer = evaluationBody(state, item, account.account.balances, rulesetKey);
    state.signal.add(fingerprint, {
      clientTransactionId: id,
      itemId: item.itemId,
      accountId,
      amount,
      answer: structuredClone(answer),
      decisions: [],
      returns: [],
    });
    return answer;
  },
};

function evaluationBody(
  state: FakePlaidState,
  item: FakeStoredItem,
  balances: { available: number | null; current: number | null },
  rulesetKey: string | undefined,
): JsonBody {
  const outcome: FakeSignalOutcome = state.signal.takeOutcome(item.itemId);
  const result = outcome.result ?? 'ACCEPT';
  const key = outcome.ruleset_key === undefined ? (rulesetKey ?? 'default') : outcome.ruleset_key;
  const details = {
    internal_note: `fake ${result}`,
    ...(outcome.custom_action_key === undefined ? {} : { custom_action_key: outcome.custom_action_key }),
  };
  const shape = outcome.shape ?? 'current';
  const ruleset =
    shape === 'none'
      ? undefined
      : {
          ...(key === null ? {} : { ruleset_key: key }),
          ...(shape === 'legacy'
            ? { triggered_rule_details: { ...details, result }, outcome: result.toLowerCase() }
            : { result, triggered_rule_details: details }),
        };
  return {
    request_id: randomRequestId(),
    scores: outcome.scores ?? null,
    core_attributes: {
      available_balance: balances.available,
      current_balance: balances.current,
      balance_last_updated: state
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      ...outcome.core_attributes,
    },
    ...(ruleset === undefined ? {} : { ruleset }),
    warnings: outcome.warnings ?? [],
  };
}
