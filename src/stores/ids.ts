import { InvalidArgumentError } from '../errors.js';

/**
 * The longest user or Item id plaid-facade accepts, in UTF-16 code units (JavaScript's
 * `string.length`). Plaid's Item ids are 37 characters; a user id is your own, and 256 leaves
 * room for any UUID, e-mail address or composite key while keeping keys, rows and headers small.
 */
export const MAX_ID_LENGTH = 256;

// A lone UTF-16 surrogate cannot be encoded as UTF-8: Buffer, pg and ioredis turn it into U+FFFD,
// so two different ids would become one key (user B reading user A's Items). Control characters
// (C0, DEL, C1) cannot travel in PostgreSQL text (NUL) or survive logs and headers intact.
const loneSurrogate = /\p{Cs}/u;
const control = /\p{Cc}/u;

/**
 * What is wrong with `value` as a user or Item id, or `undefined` when it is a good one: a
 * non-empty string of well-formed Unicode, without control characters, at most `MAX_ID_LENGTH`
 * long. Every shipped store keeps every id this accepts exactly, and the facade checks ids with
 * it before sending any request.
 */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim().length === 0) return 'must be a non-empty string';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (loneSurrogate.test(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  if (control.test(value)) return 'must not contain control characters';
  return undefined;
}

/** Throws `InvalidArgumentError` naming each of `ids` that breaks the id rule (see `idProblem`). */
export function checkIds(what: string, ids: Readonly<Record<string, unknown>>): void {
  const issues = Object.entries(ids).flatMap(([name, value]) => {
    const message = idProblem(value);
    return message === undefined ? [] : [{ path: [name], message }];
  });
  if (issues.length > 0) throw new InvalidArgumentError(what, issues);
}
