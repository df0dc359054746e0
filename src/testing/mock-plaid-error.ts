import { PlaidApiError } from '../errors.js';
import type { PlaidEndpoint } from '../events.js';
import { classifyFailure } from '../pipeline/classify.js';
import { errorBody, rateLimitCode } from './fake-plaid/errors.js';
import type { FakeErrorBody } from './fake-plaid/types.js';

/** Options of `mockPlaidError`. */
export interface MockPlaidErrorOptions {
  /** The Plaid endpoint that answered, which picks the rate-limit code. Default `'/accounts/balance/get'`. */
  endpoint?: PlaidEndpoint;
  /** Members of Plaid's error body to set (e.g. `display_message`), over the fake's defaults. */
  body?: Partial<FakeErrorBody>;
}

/**
 * The error the facade throws when Plaid answers with `code`, in one line, for a mock facade's
 * override: a `PlaidApiError` (a `PlaidRateLimitError` for rate limits) with Plaid's error type,
 * HTTP status and messages for that code, and `retryable` as the facade decides it. Codes the fake
 * Plaid knows (`'ITEM_LOGIN_REQUIRED'`, `'INSTITUTION_DOWN'`, `'INTERNAL_SERVER_ERROR'`,
 * `'RATE_LIMIT_EXCEEDED'`, …) need nothing else; for another code, give `body.error_type` and
 * `body.status`.
 *
 * @example
 * ```ts
 * const plaid = createMockFacade({ getBalances: () => Promise.reject(mockPlaidError('ITEM_LOGIN_REQUIRED')) });
 * ```
 */
export function mockPlaidError(code: string, options: MockPlaidErrorOptions = {}): PlaidApiError {
  const endpoint = options.endpoint ?? '/accounts/balance/get';
  const known = code === 'RATE_LIMIT_EXCEEDED' ? rateLimitCode(endpoint, false) : code;
  const body = errorBody(known, options.body);
  // The same classification as a real answer: Plaid's status and body, as the official client rejects.
  const failure = { response: { status: body.status, data: body } };
  const error = classifyFailure(failure, { endpoint, nonIdempotent: false, secrets: [] });
  if (!(error instanceof PlaidApiError)) throw new Error(`mockPlaidError: ${code} did not make a PlaidApiError`);
  return error;
}
