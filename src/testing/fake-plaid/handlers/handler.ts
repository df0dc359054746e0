import { plaidError } from '../errors.js';
import { type JsonBody, missingFields, optionalString } from '../request.js';
import type { FakePlaidState, FakeStoredItem } from '../state.js';

/** One endpoint of the fake: which body keys it knows and what it answers. */
export interface EndpointHandler {
  /** Every top-level key Plaid's spec defines for the request (others get `UNKNOWN_FIELDS`). */
  allowed: ReadonlySet<string>;
  /** The success body, or throws a `FakePlaidErrorAnswer`. Must not be async: state changes stay atomic. */
  handle(body: JsonBody, state: FakePlaidState): JsonBody;
  /** The HTTP status of a success answer (default 200; `/user/create` answers 201 for a new user). */
  status?(answer: JsonBody): number;
}

/** The keys every Plaid request may carry. */
export const credentialKeys = ['client_id', 'secret'] as const;

/**
 * The Item a request's `access_token` names: `MISSING_FIELDS` without one, `INVALID_ACCESS_TOKEN`
 * for a token the fake never issued (or removed), as Plaid answers.
 */
export function requestedItem(body: JsonBody, state: FakePlaidState): FakeStoredItem {
  const accessToken = optionalString(body, 'access_token');
  if (!accessToken) throw missingFields(['access_token']);
  const item = state.itemByAccessToken(accessToken);
  if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
  return item;
}
