/**
 * The error classes of plaid-facade, and the codes the library itself raises. Every error the
 * library throws is a `PlaidFacadeError`.
 *
 * They are built from plain fields only: no error keeps a reference to the official client's
 * AxiosError, its request config or its raw request, which hold the client secret and the access
 * token. `cause`, where present, is a fresh `Error` carrying only a name, a message and a code.
 */

import type { OpenEnum } from './schemas/open-enum.js';

/**
 * The codes plaid-facade raises on its own (a `PlaidApiError` carries Plaid's `error_code`
 * instead). Each is documented in docs/errors-and-retries.md: when, what to do, retryable or not.
 */
export type FacadeErrorCode =
  // bad input, found before any request
  | 'INVALID_ARGUMENT'
  // no HTTP answer, or not in time
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  // a 2xx answer that is not what Plaid documents
  | 'SCHEMA_MISMATCH'
  // an error status without a Plaid error body (a proxy, a cut body), e.g. `HTTP_502`
  | `HTTP_${number}`
  // the token store
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_STORE_ERROR'
  | 'TOKEN_STORE_WRITE_FAILED'
  | 'TOKEN_STORE_TIMEOUT'
  | 'TOKEN_RECORD_INVALID'
  | 'TOKEN_NOT_ENCRYPTED'
  | 'TOKEN_FORMAT_INVALID'
  | 'TOKEN_KEY_UNKNOWN'
  | 'TOKEN_DECRYPT_FAILED'
  // the client-side rate limiter
  | 'RATE_LIMIT_QUEUE_FULL'
  | 'RATE_LIMITER_CLOSED'
  | 'RATE_LIMIT_REDIS_UNAVAILABLE'
  | 'RATE_LIMITER_ERROR'
  // the facade itself
  | 'FACADE_CLOSED'
  | 'DUPLICATE_ITEM'
  // webhooks
  | WebhookVerificationErrorCode;

/** Why a webhook was refused by `plaid.webhooks.verify`. */
export type WebhookVerificationErrorCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TOO_OLD'
  | 'WEBHOOK_BODY_MISMATCH'
  | 'WEBHOOK_KEY_EXPIRED'
  | 'WEBHOOK_KEY_UNAVAILABLE'
  | 'WEBHOOK_WRONG_ENVIRONMENT';

/** The `code` of any plaid-facade error: one of the library's own, or Plaid's `error_code`. */
export type PlaidFacadeErrorCode = OpenEnum<FacadeErrorCode>;

/** Shortest value treated as a secret by `redactSecrets`: shorter ones would redact ordinary words. */
const minSecretLength = 4;

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`. A second line of
 * defence: errors are built from chosen fields, but messages from sockets, stores or Plaid's error
 * bodies pass through here before they reach an error.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= minSecretLength) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** What a caller should do when an exchange may have happened without an answer. */
export const outcomeUnknownAdvice =
  'The public token may already have been exchanged at Plaid; it is single use, so it was not ' +
  'sent again. Ask the user to link again (a new public token), and remove any orphaned Item ' +
  'once Plaid reports it (e.g. by webhook).';

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
  code: PlaidFacadeErrorCode;
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

/**
 * Base class of every error plaid-facade throws: thrown as such never, only through a subclass.
 * Read `code` to tell failures apart and `retryable` to know whether trying again may help.
 *
 * @example
 * ```ts
 * try {
 *   await plaid.getBalances({ userId, itemId });
 * } catch (error) {
 *   if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') askUserToReconnect(itemId);
 *   else throw error;
 * }
 * ```
 */
export class PlaidFacadeError extends Error {
  /** A stable, machine-readable code: one of `FacadeErrorCode`, or Plaid's `error_code`. */
  readonly code: PlaidFacadeErrorCode;
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
  /** Plaid's `error_code_reason`, or null. */
  readonly errorCodeReason: string | null;
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

/**
 * Thrown when no HTTP answer arrived: connection refused or reset, DNS failure, socket closed.
 * Retried by default, except for an exchange that may have reached Plaid (`outcomeUnknown`).
 *
 * @example
 * ```ts
 * if (error instanceof PlaidNetworkError) console.warn(error.cause?.code); // e.g. 'ECONNRESET'
 * ```
 */
export class PlaidNetworkError extends PlaidFacadeError {
  constructor(message: string, options: { cause: SafeCause; retryable: boolean; outcomeUnknown?: boolean }) {
    super(message, {
      code: 'NETWORK_ERROR',
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

/**
 * Thrown when options or a call's input are invalid, before any request is sent. `issues` names
 * each bad field (never its value, so a secret in the wrong place is not echoed).
 *
 * @example
 * ```ts
 * if (error instanceof InvalidArgumentError) for (const issue of error.issues) console.error(issue.path, issue.message);
 * ```
 */
export class InvalidArgumentError extends PlaidFacadeError {
  /** Each bad argument and what is wrong with it. */
  readonly issues: ReadonlyArray<Issue>;

  constructor(what: string, issues: ReadonlyArray<Issue>) {
    const detail = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    super(`Invalid ${what}: ${detail}`, { code: 'INVALID_ARGUMENT' });
    this.issues = issues;
  }
}

/**
 * Thrown when no access token is stored for that user and Item (never linked, removed, or
 * another user's Item).
 *
 * @example
 * ```ts
 * if (error instanceof TokenNotFoundError) return res.status(404).send('Link your bank first');
 * ```
 */
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

/**
 * Thrown when the token store failed (or a stored record cannot be read). After an exchange,
 * `itemRemoved` says whether the new Item was removed at Plaid because its token could not be kept.
 *
 * @example
 * ```ts
 * if (error instanceof TokenStoreError && error.itemRemoved) askUserToLinkAgain();
 * ```
 */
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
      code?: PlaidFacadeErrorCode;
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
 * Thrown by the client-side rate limiter itself: its queue is full (`RATE_LIMIT_QUEUE_FULL`), it
 * was closed while the call waited (`RATE_LIMITER_CLOSED`), or the Redis that shares it cannot be
 * reached in time (`RATE_LIMIT_REDIS_UNAVAILABLE`, retryable). The call was not sent to Plaid.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimiterError && error.code === 'RATE_LIMIT_QUEUE_FULL') return res.status(503).end();
 * ```
 */
export class RateLimiterError extends PlaidFacadeError {
  constructor(
    message: string,
    options: {
      code: 'RATE_LIMIT_QUEUE_FULL' | 'RATE_LIMITER_CLOSED' | 'RATE_LIMIT_REDIS_UNAVAILABLE' | 'RATE_LIMITER_ERROR';
      retryable?: boolean;
      cause?: SafeCause;
    },
  ) {
    super(message, options);
  }
}

/**
 * Thrown when a call is made after `close()`: the facade no longer sends anything to Plaid.
 *
 * @example
 * ```ts
 * await plaid.close();
 * await plaid.getBalances(input); // rejects with FacadeClosedError (code 'FACADE_CLOSED')
 * ```
 */
export class FacadeClosedError extends PlaidFacadeError {
  constructor() {
    super('The facade was closed (close()); create a new one to call Plaid again', { code: 'FACADE_CLOSED' });
  }
}

/**
 * Thrown by `plaid.webhooks.verify` (and `handle`) when a webhook cannot be trusted: `code` says
 * why. Never holds the JWT or the body. Answer such a request with 400 (or 401); Plaid retries
 * genuine webhooks.
 *
 * @example
 * ```ts
 * try {
 *   await plaid.webhooks.handle({ body: req.body, headers: req.headers });
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return res.status(400).send(error.code);
 *   throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends PlaidFacadeError {
  /** Why the webhook was refused. */
  declare readonly code: WebhookVerificationErrorCode;

  constructor(code: WebhookVerificationErrorCode, message: string, options: { retryable?: boolean } = {}) {
    super(message, { code, retryable: options.retryable ?? false });
  }
}

/**
 * Thrown by `exchange` when the user already has an Item at the same institution with the same
 * accounts (Plaid's documented duplicate check): nothing was exchanged, so nothing new is billed.
 *
 * @example
 * ```ts
 * if (error instanceof DuplicateItemError) return { itemId: error.existingItemId, duplicate: true };
 * ```
 */
export class DuplicateItemError extends PlaidFacadeError {
  /** The Item the user already has. */
  readonly existingItemId: string;

  constructor(existingItemId: string, institution: string) {
    super(`The user already has Item ${existingItemId} at ${institution} with the same accounts; not exchanged`, {
      code: 'DUPLICATE_ITEM',
    });
    this.existingItemId = existingItemId;
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
