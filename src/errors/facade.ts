import { type Issue, isPlaidFacadeError, PlaidFacadeError, SafeCause } from './base.js';
import type { PlaidFacadeErrorCode, WebhookVerificationErrorCode } from './codes.js';
import { tokenStoreRetryable } from './retryable.js';

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
 * Thrown when the token store failed (`TOKEN_STORE_ERROR`, with the driver's reason in the message;
 * retryable when the connection failed), did not answer in time (`TOKEN_STORE_TIMEOUT`), lacks a
 * method (`TOKEN_STORE_UNSUPPORTED`), or holds a record that cannot be read (`TOKEN_RECORD_INVALID`,
 * and `EncryptedTokenStore`'s `TOKEN_NOT_ENCRYPTED`, `TOKEN_FORMAT_INVALID`, `TOKEN_KEY_UNKNOWN`,
 * `TOKEN_DECRYPT_FAILED`); or, after an exchange, when the new token could not be kept
 * (`TOKEN_STORE_WRITE_FAILED`): then `itemRemoved` says whether the Item was removed at Plaid. What
 * to do for each code: docs/errors-and-retries.md.
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
      /**
       * Whether the same operation may succeed later (a lost connection); by default the code's
       * rule (`errors/retryable.ts`, owned by `pipeline/classify.ts`: `tokenStoreRetryable`).
       */
      retryable?: boolean;
      /** True when the write may have been applied (or may yet be lost) although it failed. */
      outcomeUnknown?: boolean;
    },
  ) {
    const code = options.code ?? 'TOKEN_STORE_ERROR';
    const inner = isPlaidFacadeError(options.cause) && options.cause.retryable;
    super(message, {
      code,
      retryable: options.retryable ?? tokenStoreRetryable(code, { inner, itemRemoved: options.itemRemoved === true }),
      outcomeUnknown: options.outcomeUnknown ?? false,
      cause: options.cause === undefined ? undefined : new SafeCause(options.cause, options.redact),
    });
    this.itemId = options.itemId;
    this.itemRemoved = options.itemRemoved;
  }
}

/**
 * Thrown by the client-side rate limiter itself: its queue is full (`RATE_LIMIT_QUEUE_FULL`), the
 * call would wait longer than `rateLimit.maxWaitMs` (`RATE_LIMIT_WAIT_EXCEEDED`, retryable, with
 * `retryAfterMs`), it was closed while the call waited (`RATE_LIMITER_CLOSED`), or the Redis that
 * shares it cannot be reached in time (`RATE_LIMIT_REDIS_UNAVAILABLE`, retryable). The call was not
 * sent to Plaid, and the facade does not retry it itself: `retryable` says you may.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimiterError && error.code === 'RATE_LIMIT_QUEUE_FULL') return res.status(503).end();
 * ```
 */
export class RateLimiterError extends PlaidFacadeError {
  /**
   * When the limiter expects a slot to be free for this call, in milliseconds from when it was
   * refused (`RATE_LIMIT_WAIT_EXCEEDED`); a lower bound when slots are still in flight.
   */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      code:
        | 'RATE_LIMIT_QUEUE_FULL'
        | 'RATE_LIMIT_WAIT_EXCEEDED'
        | 'RATE_LIMITER_CLOSED'
        | 'RATE_LIMIT_REDIS_UNAVAILABLE';
      /** By default the code's rule (`errors/retryable.ts`, owned by `pipeline/classify.ts`). */
      retryable?: boolean;
      cause?: SafeCause;
      retryAfterMs?: number | undefined;
    },
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
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

  /** @param options.retryable by default the code's rule (only `WEBHOOK_KEY_UNAVAILABLE`: `errors/retryable.ts`) */
  constructor(code: WebhookVerificationErrorCode, message: string, options: { retryable?: boolean } = {}) {
    super(message, { code, retryable: options.retryable });
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
 * Reported by `getAllBalances` for an Item whose known health (from webhooks, `getItem` or earlier
 * calls) says a call cannot succeed until the user acts, without calling Plaid for it:
 * `ITEM_LOGIN_REQUIRED` (send the user through Link in update mode) or `ITEM_REVOKED` (the user
 * withdrew access; link again or remove the Item). Not retryable.
 *
 * @example
 * ```ts
 * for (const item of result.items) {
 *   if (!item.ok && item.error instanceof ItemUnavailableError) askToRelink(item.itemId);
 * }
 * ```
 */
export class ItemUnavailableError extends PlaidFacadeError {
  /** The Item concerned. */
  readonly itemId: string;
  /** The health state that made the facade skip the call, e.g. `'login_required'`. */
  readonly status: string;
  /** Since when, as the store knows it. */
  readonly since: Date;

  constructor(itemId: string, health: { status: string; since: Date }) {
    const revoked = health.status === 'revoked';
    super(
      revoked
        ? `Item ${itemId}: the user revoked access (since ${health.since.toISOString()}); not called`
        : `Item ${itemId}: the user must log in again through Link in update mode (since ${health.since.toISOString()}); not called`,
      { code: revoked ? 'ITEM_REVOKED' : 'ITEM_LOGIN_REQUIRED' },
    );
    this.itemId = itemId;
    this.status = health.status;
    this.since = health.since;
  }
}

/**
 * Thrown when a failure fits none of the library's other kinds: something a custom token store,
 * `plaidApi` or mock threw that is not an error plaid-facade knows (code `UNEXPECTED`). It points at
 * a bug; `cause` keeps the original's name, message and code.
 *
 * @example
 * ```ts
 * if (error instanceof UnexpectedError) reportBug(error.cause);
 * ```
 */
export class UnexpectedError extends PlaidFacadeError {
  constructor(what: string, source: unknown) {
    const cause = new SafeCause(source);
    super(`${what} failed unexpectedly (${cause.name})`, { code: 'UNEXPECTED', cause });
  }
}
