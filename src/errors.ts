/**
 * The error classes of plaid-facade. Every error the library throws is a `PlaidFacadeError`.
 *
 * They are built from plain fields only: no error keeps a reference to the official client's
 * AxiosError, its request config or its raw request, which hold the client secret and the access
 * token. `cause`, where present, is a fresh `Error` carrying only a name, a message and a code.
 */

/** One problem found in a value: where (a path of keys) and what. */
export interface Issue {
  /** Path of keys from the root of the value, e.g. `['accounts', 0, 'balances', 'current']`. */
  readonly path: ReadonlyArray<string | number>;
  /** What is wrong there. */
  readonly message: string;
}

/**
 * Fields shared by every plaid-facade error.
 * @inline
 */
export interface PlaidFacadeErrorOptions {
  /** A stable, machine-readable code, e.g. `'TIMEOUT'` or Plaid's `error_code`. */
  code: string;
  /** Whether trying the same call again may succeed. */
  retryable?: boolean;
  /** Plaid's `request_id`, when Plaid answered. */
  requestId?: string | undefined;
  /** The underlying cause, already stripped of anything secret. */
  cause?: SafeCause | undefined;
  /**
   * True when a non-idempotent call (the public-token exchange) may have reached Plaid and
   * been carried out although no answer arrived: the outcome is unknown.
   */
  outcomeUnknown?: boolean;
}

/** A cause stripped down to what is safe to log. */
export class SafeCause extends Error {
  /** The cause's own code, e.g. `'ECONNREFUSED'`. */
  readonly code: string | undefined;

  /** @param source any thrown value; only its name, message and code are kept */
  constructor(source: unknown, redact: (text: string) => string = (text) => text) {
    const from = source as { name?: unknown; message?: unknown; code?: unknown } | null;
    const message = typeof from?.message === 'string' ? from.message : String(source);
    super(redact(message));
    this.name = typeof from?.name === 'string' ? from.name : 'Error';
    this.code = typeof from?.code === 'string' ? from.code : undefined;
  }
}

/** Base class of every error plaid-facade throws. */
export class PlaidFacadeError extends Error {
  /** A stable, machine-readable code. */
  readonly code: string;
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean;
  /** Plaid's `request_id`, when Plaid answered. */
  readonly requestId: string | undefined;
  /** True when an exchange may have been carried out at Plaid although no answer arrived. */
  readonly outcomeUnknown: boolean;
  /** The underlying cause, stripped to a name, a message and a code; `undefined` when there is none. */
  declare readonly cause: SafeCause | undefined;

  constructor(message: string, options: PlaidFacadeErrorOptions) {
    super(message, options.cause ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.requestId = options.requestId;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }

  /** A plain object with the error's fields, safe to log. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      fields[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
    }
    return fields;
  }
}

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
  /** Plaid's `error_code_reason`, or null. */
  errorCodeReason: string | null;
  /** Plaid's `causes`, as sent (used by some products). */
  causes: ReadonlyArray<unknown>;
}

/** Plaid answered with an error body (any non-2xx status). */
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
  /** Plaid's `error_code_reason`, or null. */
  readonly errorCodeReason: string | null;
  /** Plaid's `causes`, as sent (used by some products). */
  readonly causes: ReadonlyArray<unknown>;

  constructor(
    fields: PlaidApiErrorFields,
    options: { retryable: boolean; outcomeUnknown?: boolean; message?: string },
  ) {
    super(
      options.message ??
        `Plaid ${fields.errorType} ${fields.errorCode} (HTTP ${fields.status}): ${fields.errorMessage || 'no message'}`,
      {
        code: fields.errorCode,
        retryable: options.retryable,
        requestId: fields.requestId,
        outcomeUnknown: options.outcomeUnknown,
      },
    );
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

/** Plaid answered `RATE_LIMIT_EXCEEDED`, and retries (if any) did not get past it. */
export class PlaidRateLimitError extends PlaidApiError {}

/** A 2xx answer whose body is not what Plaid documents (or is not JSON). Never retried. */
export class PlaidSchemaError extends PlaidFacadeError {
  /** The Plaid path, e.g. `'/accounts/balance/get'`. */
  readonly endpoint: string;
  /** Each failing path and what is wrong there. */
  readonly issues: ReadonlyArray<Issue>;

  constructor(endpoint: string, issues: ReadonlyArray<Issue>, requestId?: string) {
    const first = issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    super(`Plaid's answer to ${endpoint} does not match its schema: ${first}`, {
      code: 'SCHEMA_MISMATCH',
      requestId,
    });
    this.endpoint = endpoint;
    this.issues = issues;
  }
}

/** No HTTP answer arrived: connection refused or reset, DNS failure, socket closed. */
export class PlaidNetworkError extends PlaidFacadeError {
  constructor(
    message: string,
    options: { cause: SafeCause; retryable: boolean; outcomeUnknown?: boolean; code?: string },
  ) {
    super(message, {
      code: options.code ?? 'NETWORK_ERROR',
      retryable: options.retryable,
      cause: options.cause,
      outcomeUnknown: options.outcomeUnknown,
    });
  }
}

/** An attempt ran past its timeout. */
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

/** Bad input, found before any request was sent. */
export class InvalidArgumentError extends PlaidFacadeError {
  /** Each bad argument and what is wrong with it. */
  readonly issues: ReadonlyArray<Issue>;

  constructor(what: string, issues: ReadonlyArray<Issue>) {
    const detail = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    super(`Invalid ${what}: ${detail}`, { code: 'INVALID_ARGUMENT' });
    this.issues = issues;
  }
}

/** No access token is stored for that user and Item. */
export class TokenNotFoundError extends PlaidFacadeError {
  /** The user asked for. */
  readonly userId: string;
  /** The Item asked for. */
  readonly itemId: string;

  constructor(userId: string, itemId: string) {
    super(`No access token stored for user ${JSON.stringify(userId)} and Item ${JSON.stringify(itemId)}`, {
      code: 'TOKEN_NOT_FOUND',
    });
    this.userId = userId;
    this.itemId = itemId;
  }
}

/** The token store failed. */
export class TokenStoreError extends PlaidFacadeError {
  /** The Item concerned, when known. */
  readonly itemId: string | undefined;
  /**
   * After a failed write following an exchange: whether the Item was removed at Plaid so that no
   * orphaned Item stays billed. `undefined` when no removal was attempted.
   */
  readonly itemRemoved: boolean | undefined;

  constructor(
    message: string,
    options: {
      cause?: unknown;
      itemId?: string;
      itemRemoved?: boolean;
      code?: string;
      redact?: (text: string) => string;
    },
  ) {
    super(message, {
      code: options.code ?? 'TOKEN_STORE_ERROR',
      cause: options.cause === undefined ? undefined : new SafeCause(options.cause, options.redact),
    });
    this.itemId = options.itemId;
    this.itemRemoved = options.itemRemoved;
  }
}

/**
 * True when `value` is an error thrown by plaid-facade. Unlike `instanceof`, this works across
 * duplicate copies of the package (e.g. a CJS and an ESM copy in one process).
 */
export function isPlaidFacadeError(value: unknown): value is PlaidFacadeError {
  if (value instanceof PlaidFacadeError) return true;
  const candidate = value as { [brand]?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate[brand] === true;
}

const brand = Symbol.for('plaid-facade.error');
Object.defineProperty(PlaidFacadeError.prototype, brand, { value: true });
