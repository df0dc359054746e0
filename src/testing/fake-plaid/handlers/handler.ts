import type { JsonBody } from '../request.js';
import type { FakePlaidState } from '../state.js';

/** One endpoint of the fake: which body keys it knows and what it answers. */
export interface EndpointHandler {
  /** Every top-level key Plaid's spec defines for the request (others get `UNKNOWN_FIELDS`). */
  allowed: ReadonlySet<string>;
  /** The success body, or throws a `FakePlaidErrorAnswer`. Must not be async: state changes stay atomic. */
  handle(body: JsonBody, state: FakePlaidState): JsonBody;
}

/** The keys every Plaid request may carry. */
export const credentialKeys = ['client_id', 'secret'] as const;
