import type { PlaidFacadeErrorCode } from './codes.js';

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`, in one pass, longest
 * first (so a short secret inside a longer one leaves nothing of it behind), whatever their length:
 * a secret of one character is still a secret. The URL-encoded and JSON-escaped forms are
 * replaced too, as a server may echo a secret in a URL or a quoted string. A second line of
 * defence: errors are built from chosen fields, but every text that came from a server, a socket
 * or a store passes through here before it reaches an error or an event.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return redactorOf(secrets)(text);
}

/**
 * `redactSecrets` for a fixed list of secrets. Built for every call and most often used on a few
 * short texts that hold none of them: the forms of the secrets are listed on first use, a text is
 * searched for each with `includes`, and the pattern is built (once) only for a text that holds one.
 */
export function redactorOf(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  let forms: string[] | undefined;
  let pattern: RegExp | undefined;
  return (text) => {
    forms ??= formsOf(secrets);
    if (!forms.some((form) => text.includes(form))) return text;
    pattern ??= new RegExp(
      [...forms]
        .sort((a, b) => b.length - a.length)
        .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(pattern, '[redacted]');
  };
}

/** Each secret as it may be echoed: as it is, inside a JSON string, URL-encoded. */
function formsOf(secrets: ReadonlyArray<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // a lone surrogate cannot be URL-encoded, so it cannot be echoed that way either
    }
  }
  return [...forms];
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
 * Every code, when it is thrown and what to do: docs/errors-and-retries.md.
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
