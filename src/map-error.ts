import {
  PlaidApiError,
  type PlaidApiErrorFields,
  PlaidFacadeError,
  PlaidNetworkError,
  PlaidRateLimitError,
  SafeCause,
} from './errors.js';
import type { PlaidEndpoint } from './events.js';
import { redactSecrets } from './redact.js';
import { isRetryablePlaidError, NEVER_SENT_CODES } from './retryable.js';
import { plaidErrorSchema } from './schemas/plaid-error.js';
import { parseJsonOrUndefined } from './json.js';

/** What the mapping needs to know about the call that failed. */
export interface FailureContext {
  endpoint: PlaidEndpoint;
  /**
   * The call is not idempotent at Plaid (the public-token exchange): only failures that prove
   * the request never reached Plaid may be retried; any other is reported as outcome unknown.
   */
  nonIdempotent: boolean;
  /** Values that must never appear in an error: the client secret, the access token. */
  secrets: ReadonlyArray<string | undefined>;
}

/** The parts of an AxiosError we read. Everything else (config, request) is left behind. */
interface AxiosLikeError {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown };
}

/**
 * Turns a failure of the official client (an AxiosError, or anything a custom `PlaidApi` throws)
 * into a `PlaidFacadeError`. The result holds copies of chosen fields only: never the original
 * error, whose `config` holds the client secret and the request body with the access token.
 */
export function mapClientFailure(failure: unknown, context: FailureContext): PlaidFacadeError {
  if (failure instanceof PlaidFacadeError) return failure;
  const redact = (text: string) => redactSecrets(text, context.secrets);
  const error = (failure ?? {}) as AxiosLikeError;
  const status = error.response?.status;
  if (typeof status === 'number') return fromResponse(status, error.response?.data, context, redact);

  const cause = new SafeCause(failure, redact);
  const code = cause.code;
  const neverSent = code !== undefined && NEVER_SENT_CODES.has(code);
  const outcomeUnknown = context.nonIdempotent && !neverSent;
  const detail = outcomeUnknown ? ` ${outcomeUnknownAdvice}` : '';
  return new PlaidNetworkError(`${context.endpoint}: no answer from Plaid (${cause.message})${detail}`, {
    cause,
    code: 'NETWORK_ERROR',
    retryable: !outcomeUnknown,
    outcomeUnknown,
  });
}

/** What a caller should do when an exchange may have happened without an answer. */
export const outcomeUnknownAdvice =
  'The public token may already have been exchanged at Plaid; it is single use, so it was not ' +
  'sent again. Ask the user to link again (a new public token), and remove any orphaned Item ' +
  'once Plaid reports it (e.g. by webhook).';

function fromResponse(
  status: number,
  body: unknown,
  context: FailureContext,
  redact: (text: string) => string,
): PlaidApiError {
  const parsed = plaidErrorSchema.safeParse(typeof body === 'string' ? parseJsonOrUndefined(body) : body);
  const fields: PlaidApiErrorFields = parsed.success
    ? {
        status,
        errorType: parsed.data.error_type,
        errorCode: parsed.data.error_code,
        errorMessage: redact(parsed.data.error_message ?? ''),
        displayMessage: parsed.data.display_message ?? null,
        requestId: parsed.data.request_id,
        documentationUrl: parsed.data.documentation_url,
        suggestedAction: parsed.data.suggested_action ?? null,
        errorCodeReason: parsed.data.error_code_reason ?? null,
        causes: parsed.data.causes ?? [],
      }
    : {
        // Not a Plaid error body: a proxy or load balancer answered, or the body was cut off.
        status,
        errorType: status >= 500 ? 'API_ERROR' : 'HTTP_ERROR',
        errorCode: `HTTP_${status}`,
        errorMessage: `HTTP ${status} without a Plaid error body`,
        displayMessage: null,
        requestId: undefined,
        documentationUrl: undefined,
        suggestedAction: null,
        errorCodeReason: null,
        causes: [],
      };
  const retryable = isRetryablePlaidError(status, fields.errorType, fields.errorCode);
  const isRateLimit = fields.errorType === 'RATE_LIMIT_EXCEEDED';
  // A 429 or planned maintenance means Plaid refused the request before acting on it; any other
  // transient answer to an exchange (a 5xx) may have come after the exchange was done.
  const refused = isRateLimit || fields.errorCode === 'PLANNED_MAINTENANCE';
  const outcomeUnknown = context.nonIdempotent && retryable && !refused;
  const options = {
    retryable: retryable && !outcomeUnknown,
    outcomeUnknown,
    ...(outcomeUnknown
      ? {
          message: `Plaid ${fields.errorType} ${fields.errorCode} (HTTP ${status}) on ${context.endpoint}: ${
            fields.errorMessage || 'no message'
          }. ${outcomeUnknownAdvice}`,
        }
      : {}),
  };
  return isRateLimit ? new PlaidRateLimitError(fields, options) : new PlaidApiError(fields, options);
}
