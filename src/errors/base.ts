import type { PlaidFacadeErrorCode } from './codes.js';
import { retryableByDefault } from './retryable.js';

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`, in one pass, longest
 * first (so a short secret inside a longer one leaves nothing of it behind), whatever their length:
 * a secret of one character is still a secret. The URL-encoded and JSON-escaped forms are
 * replaced too, as a server may echo a secret in a URL or a quoted string; for a secret of
 * `CASE_AND_ENCODING_MIN_LENGTH` characters or more, also its base64 (padded or not), base64url,
 * hex and `\uXXXX` forms, and every form but base64's in any letter case (a server that upper-cases
 * or encodes what it echoes). A second line of defence: errors are built from chosen fields, but
 * every text that came from a server, a socket or a store passes through here before it reaches an
 * error or an event.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return redactorOf(secrets)(text);
}

/**
 * Secrets at least this long are also redacted in their encoded and case-changed forms. Shorter
 * ones only as they are (and URL-encoded or JSON-escaped): a two-letter secret matched in any case
 * or encoding would redact ordinary words.
 */
export const CASE_AND_ENCODING_MIN_LENGTH = 8;

/**
 * Redactors built lately, by their list of secrets, most recent last. A balance call asks for 3–4
 * redactors of the same secrets (the call's, its answer's, the operation's), and building one —
 * about twenty forms, one pattern, that pattern's compilation on first use — cost more CPU than the
 * rest of the call's redaction (issue #25). Bounded, so it never holds more than the secrets of
 * the last few Items called, which the process held anyway.
 */
const recentRedactors = new Map<string, (text: string) => string>();
const RECENT_REDACTORS = 32;

/** `redactSecrets` for a fixed list of secrets, with its pattern built once (and reused while recent). */
export function redactorOf(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const key = JSON.stringify(secrets);
  const known = recentRedactors.get(key);
  if (known) return known;
  const built = buildRedactor(secrets);
  recentRedactors.set(key, built);
  if (recentRedactors.size > RECENT_REDACTORS) {
    const oldest = recentRedactors.keys().next();
    if (!oldest.done) recentRedactors.delete(oldest.value);
  }
  return built;
}

/** A redactor for `secrets` (see `redactSecrets`): every form of every secret in one pattern. */
function buildRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  // Each form with its pattern: exact, or with every letter matched in either case.
  const forms = new Map<string, string>();
  const exact = (form: string) => {
    if (form && !forms.has(form)) forms.set(form, escapeForPattern(form));
  };
  const anyCase = (form: string) => {
    if (form) forms.set(`i:${form.toLowerCase()}`, escapeForPattern(form).replace(/\p{L}/gu, caseClass));
  };
  for (const secret of secrets) {
    if (!secret) continue;
    const plain = [secret, JSON.stringify(secret).slice(1, -1)];
    try {
      plain.push(encodeURIComponent(secret));
    } catch {
      // a lone surrogate cannot be URL-encoded, so it cannot be echoed that way either
    }
    if (secret.length < CASE_AND_ENCODING_MIN_LENGTH) {
      for (const form of plain) exact(form);
      continue;
    }
    for (const form of plain) anyCase(form);
    const bytes = Buffer.from(secret, 'utf8');
    const base64 = bytes.toString('base64');
    exact(base64);
    exact(base64.replace(/=+$/, ''));
    exact(bytes.toString('base64url'));
    anyCase(bytes.toString('hex'));
    anyCase([...secret].map((char) => unicodeEscape(char)).join(''));
  }
  if (forms.size === 0) return (text) => text;
  const pattern = new RegExp(
    [...forms.entries()]
      .sort(([a], [b]) => formLength(b) - formLength(a))
      .map(([, source]) => source)
      .join('|'),
    'g',
  );
  return (text) => text.replace(pattern, '[redacted]');
}

function escapeForPattern(form: string): string {
  return form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A letter as a class of its upper- and lower-case forms (`[aA]`). */
function caseClass(letter: string): string {
  const lower = letter.toLowerCase();
  const upper = letter.toUpperCase();
  return lower === upper || lower.length !== 1 || upper.length !== 1 ? letter : `[${lower}${upper}]`;
}

/** A character as JSON's `\uXXXX` escapes (two for a character beyond the BMP). */
function unicodeEscape(char: string): string {
  let escaped = '';
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** The length of the text a form matches (its key without the `i:` marker). */
function formLength(key: string): number {
  return key.startsWith('i:') ? key.length - 2 : key.length;
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
  /**
   * Whether trying the same call again may succeed; without it, the code's row in the table
   * `pipeline/classify.ts` owns (`errors/retryable.ts`).
   */
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
    // A code of the library's own without a decision of its maker: the table classify.ts owns.
    this.retryable = options.retryable ?? retryableByDefault(options.code);
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
