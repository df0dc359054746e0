import { MAX_SCHEMA_ISSUES, outcomeUnknownAdvice, PlaidSchemaError } from '../errors.js';
import type { PlaidEndpoint } from '../events.js';
import { toIssues } from '../schemas/issues.js';
import type { z } from '../schemas/zod.js';
import { type JsonRead, parseJsonText } from './parse-json.js';

/** The official client's answer, as far as the facade reads it. */
export interface TransportResponse {
  status: number;
  data: unknown;
}

/** Parses JSON, or gives `undefined` for text that is not JSON (a proxy's HTML page, a cut body). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A body as the official client hands it over: 2xx text that is not JSON arrives as a string. */
export function bodyOf(data: unknown): unknown {
  return typeof data === 'string' ? parseJsonOrUndefined(data) : data;
}

/**
 * A body as the official client hands it over, read: the facade asks for text
 * (`responseType: 'text'`), parsed here in slices that let the event loop turn (see
 * `parse-json.ts`). A value (from a `PlaidApi` of the caller's own that answers with objects)
 * passes unchanged.
 */
export function readBody(data: unknown): Promise<JsonRead> {
  return typeof data === 'string' ? parseJsonText(data) : Promise.resolve({ ok: true, value: data });
}

/**
 * A failure whose answer's body the facade read itself (a streamed answer: `read-body.ts`), thrown
 * in its place so that the body travels beside the failure and the failure stays as it was.
 */
export class FailureWithBody {
  /**
   * @param failure what the official client threw, unchanged
   * @param data the body's text, or `undefined` when it was not read whole
   */
  constructor(
    readonly failure: unknown,
    readonly data: string | undefined,
  ) {}
}

/**
 * Reads the body of a failed call's answer (see `readBody`) before it is classified: an error body
 * is as long as a 2xx one may be. Returns the failure (unwrapped from `FailureWithBody`) and the
 * body for `classifyFailure`; the failure is never changed (an AxiosError keeps its `response.data`).
 * Text that is not JSON becomes `null` (no Plaid error body; `undefined` means a body that was not
 * read whole).
 */
export async function readErrorBody(thrown: unknown): Promise<{ failure: unknown; answer: { data: unknown } }> {
  const failure = thrown instanceof FailureWithBody ? thrown.failure : thrown;
  const data =
    thrown instanceof FailureWithBody
      ? thrown.data
      : (thrown as { response?: { data?: unknown } } | null | undefined)?.response?.data;
  if (typeof data !== 'string') return { failure, answer: { data } };
  const read = await parseJsonText(data);
  return { failure, answer: { data: read.ok ? read.value : null } };
}

/** Plaid's `request_id` in a body, when it has one. */
export function requestIdOf(data: unknown): string | undefined {
  const id = (data as { request_id?: unknown } | null | undefined)?.request_id;
  return typeof id === 'string' ? id : undefined;
}

/** The access token in a body (an exchange's answer), when it has one. */
export function accessTokenOf(data: unknown): string | undefined {
  const token = (data as { access_token?: unknown } | null | undefined)?.access_token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

/**
 * Validates a 2xx body, already read (`readBody`), against the endpoint's schema; asynchronously,
 * as a long array of accounts lets the event loop turn while it is checked. Throws
 * `PlaidSchemaError` (never retried: the same request gets the same body) naming the first
 * failing paths. For an exchange (`nonIdempotent`) the error says the outcome is unknown: an
 * answer that cannot be read may still mean Plaid exchanged the token. Paths, messages and the
 * request id pass `redact`: they can quote the server.
 */
export async function parseBody<Schema extends z.ZodType>(
  endpoint: PlaidEndpoint,
  schema: Schema,
  read: JsonRead,
  call: { nonIdempotent: boolean; redact: (text: string) => string },
): Promise<z.output<Schema>> {
  const options = call.nonIdempotent ? { outcomeUnknown: true, advice: outcomeUnknownAdvice } : {};
  const data = read.ok ? read.value : undefined;
  if (data === undefined) {
    const message = read.ok ? 'the body is not JSON' : read.reason;
    throw new PlaidSchemaError(endpoint, [{ path: [], message }], undefined, options);
  }
  const result = await schema.safeParseAsync(data);
  if (result.success) return result.data;
  const issues = toIssues(result.error.issues.slice(0, MAX_SCHEMA_ISSUES)).map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : call.redact(key.slice(0, 200)))),
    message: call.redact(issue.message),
  }));
  const requestId = requestIdOf(data);
  throw new PlaidSchemaError(endpoint, issues, requestId === undefined ? undefined : call.redact(requestId), options);
}
