import { type Issue, PlaidFacadeError, type SafeCause } from './base.js';

/**
 * Plaid's `error_code_reason`: what lies behind some codes, "safe for programmatic use". For an
 * OAuth Item's `ITEM_LOGIN_REQUIRED`: its consent expired, the user revoked it, or its token is
 * invalid. Other values may come: compare, never assume the list is closed.
 */
export type PlaidErrorCodeReason =
  | 'OAUTH_CONSENT_EXPIRED'
  | 'OAUTH_USER_REVOKED'
  | 'OAUTH_INVALID_TOKEN'
  | (string & Record<never, never>);

/** The fields of an error body that Plaid sent. */
export interface PlaidApiErrorFields {
  /** The HTTP status of Plaid's answer. */
  status: number;
  /** Plaid's `error_type`, e.g. `'ITEM_ERROR'`. */
  errorType: string;
  /** Plaid's `error_code`, e.g. `'ITEM_LOGIN_REQUIRED'`. */
  errorCode: string;
  /** Plaid's `error_message`: for developers. */
  errorMessage: string;
  /** Plaid's `display_message`: safe to show to the end user, or null. */
  displayMessage: string | null;
  /** Plaid's `request_id`, when the body had one. */
  requestId: string | undefined;
  /** Link to Plaid's documentation of this error, when given. */
  documentationUrl: string | undefined;
  /** Plaid's `suggested_action`, or null. */
  suggestedAction: string | null;
  /** Plaid's `error_code_reason` (e.g. `'OAUTH_CONSENT_EXPIRED'`), or null. */
  errorCodeReason: PlaidErrorCodeReason | null;
  /** Plaid's `causes`, as sent (used by some products). */
  causes: ReadonlyArray<unknown>;
}

/**
 * The message of an error Plaid answered: type, code, status, the endpoint when known, and
 * Plaid's (already redacted) message.
 */
export function plaidErrorMessage(fields: PlaidApiErrorFields, endpoint?: string): string {
  const where = endpoint ? ` on ${endpoint}` : '';
  return `Plaid ${fields.errorType} ${fields.errorCode} (HTTP ${fields.status})${where}: ${fields.errorMessage || 'no message'}`;
}

/**
 * Thrown when Plaid answered with an error status (or an error body): `errorType` and
 * `errorCode` are Plaid's, `retryable` says whether Plaid documents the failure as transient.
 *
 * @example
 * ```ts
 * if (error instanceof PlaidApiError && error.errorType === 'ITEM_ERROR') showToUser(error.displayMessage);
 * ```
 */
export class PlaidApiError extends PlaidFacadeError {
  /** The HTTP status of Plaid's answer. */
  readonly status: number;
  /** Plaid's `error_type`, e.g. `'ITEM_ERROR'`. */
  readonly errorType: string;
  /** Plaid's `error_code`, e.g. `'ITEM_LOGIN_REQUIRED'`. */
  readonly errorCode: string;
  /** Plaid's `error_message`: for developers. */
  readonly errorMessage: string;
  /** Plaid's `display_message`: safe to show to the end user, or null. */
  readonly displayMessage: string | null;
  /** Link to Plaid's documentation of this error. */
  readonly documentationUrl: string | undefined;
  /** Plaid's `suggested_action`, or null. */
  readonly suggestedAction: string | null;
  /**
   * Plaid's `error_code_reason`, or null: tells an expired OAuth consent (`'OAUTH_CONSENT_EXPIRED'`)
   * from a revoked one (`'OAUTH_USER_REVOKED'`) or an invalid token (`'OAUTH_INVALID_TOKEN'`).
   */
  readonly errorCodeReason: PlaidErrorCodeReason | null;
  /** Plaid's `causes`, as sent (used by some products). */
  readonly causes: ReadonlyArray<unknown>;

  constructor(
    fields: PlaidApiErrorFields,
    options: { retryable: boolean; outcomeUnknown?: boolean; message?: string },
  ) {
    super(options.message ?? plaidErrorMessage(fields), {
      code: fields.errorCode,
      retryable: options.retryable,
      requestId: fields.requestId,
      outcomeUnknown: options.outcomeUnknown,
    });
    this.status = fields.status;
    this.errorType = fields.errorType;
    this.errorCode = fields.errorCode;
    this.errorMessage = fields.errorMessage;
    this.displayMessage = fields.displayMessage;
    this.documentationUrl = fields.documentationUrl;
    this.suggestedAction = fields.suggestedAction;
    this.errorCodeReason = fields.errorCodeReason;
    this.causes = fields.causes;
  }
}

/**
 * Thrown when Plaid answered `RATE_LIMIT_EXCEEDED` and retries (if any) did not get past it.
 *
 * @example
 * ```ts
 * if (error instanceof PlaidRateLimitError) retryLater(); // the facade's limiter has slowed down already
 * ```
 */
export class PlaidRateLimitError extends PlaidApiError {}

/**
 * Thrown when a 2xx answer's body is not what Plaid documents (or is not JSON). Never retried:
 * the same request would get the same body.
 *
 * @example
 * ```ts
 * if (error instanceof PlaidSchemaError) log.error({ endpoint: error.endpoint, issues: error.issues });
 * ```
 */
export class PlaidSchemaError extends PlaidFacadeError {
  /** The Plaid path, e.g. `'/accounts/balance/get'`. */
  readonly endpoint: string;
  /** The first failing paths (at most `MAX_SCHEMA_ISSUES`) and what is wrong there. */
  readonly issues: ReadonlyArray<Issue>;

  /**
   * @param options.outcomeUnknown for an exchange: Plaid may have carried it out
   * @param options.advice appended to the message
   */
  constructor(
    endpoint: string,
    issues: ReadonlyArray<Issue>,
    requestId?: string,
    options: { outcomeUnknown?: boolean; advice?: string } = {},
  ) {
    const first = issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    super(
      `Plaid's answer to ${endpoint} does not match its schema: ${first}${options.advice ? `. ${options.advice}` : ''}`,
      { code: 'SCHEMA_MISMATCH', requestId, outcomeUnknown: options.outcomeUnknown },
    );
    this.endpoint = endpoint;
    // The first few say what is wrong; thousands would only make the error huge to log.
    this.issues = issues.slice(0, MAX_SCHEMA_ISSUES);
  }
}

/** How many issues a `PlaidSchemaError` keeps. */
export const MAX_SCHEMA_ISSUES = 10;

/**
 * Thrown when no HTTP answer arrived: connection refused or reset, DNS failure, socket closed
 * (`NETWORK_ERROR`); when an answer began but was not read whole (`RESPONSE_INCOMPLETE`) or was
 * too large to read (`RESPONSE_TOO_LARGE`); or when the caller aborted an exchange after sending it
 * (`ABORTED`). Retried by default, except for an exchange that may have reached Plaid
 * (`outcomeUnknown`). What to do for each code: docs/errors-and-retries.md.
 *
 * @example
 * ```ts
 * if (error instanceof PlaidNetworkError) console.warn(error.cause?.code); // e.g. 'ECONNRESET'
 * ```
 */
export class PlaidNetworkError extends PlaidFacadeError {
  /**
   * @param options.code `'NETWORK_ERROR'` (default); `'RESPONSE_INCOMPLETE'` or
   *   `'RESPONSE_TOO_LARGE'` when an answer began but was not read whole; `'ABORTED'` for an
   *   exchange the caller aborted after its request was sent
   */
  constructor(
    message: string,
    options: {
      cause: SafeCause;
      retryable: boolean;
      outcomeUnknown?: boolean;
      code?: 'NETWORK_ERROR' | 'RESPONSE_INCOMPLETE' | 'RESPONSE_TOO_LARGE' | 'ABORTED';
    },
  ) {
    super(message, {
      code: options.code ?? 'NETWORK_ERROR',
      retryable: options.retryable,
      cause: options.cause,
      outcomeUnknown: options.outcomeUnknown,
    });
  }
}

/**
 * Thrown when an attempt ran past its timeout (`timeoutMs`) and no retry followed.
 *
 * @example
 * ```ts
 * await plaid.getBalances(input, { timeoutMs: 10_000 }).catch((error) => {
 *   if (error instanceof PlaidTimeoutError) return showStaleBalances();
 *   throw error;
 * });
 * ```
 */
export class PlaidTimeoutError extends PlaidFacadeError {
  /** The per-attempt timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(endpoint: string, timeoutMs: number, options: { retryable: boolean; outcomeUnknown?: boolean }) {
    super(`${endpoint}: no answer from Plaid within ${timeoutMs} ms`, {
      code: 'TIMEOUT',
      retryable: options.retryable,
      outcomeUnknown: options.outcomeUnknown,
    });
    this.timeoutMs = timeoutMs;
  }
}
