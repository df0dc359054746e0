import { MAX_SCHEMA_ISSUES, outcomeUnknownAdvice, PlaidSchemaError } from '../errors.js';
import type { PlaidEndpoint } from '../events.js';
import { toIssues } from '../schemas/issues.js';
import type { z } from '../schemas/zod.js';

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

/** Plaid's `request_id` in a body, when it has one. */
export function requestIdOf(data: unknown): string | undefined {
  const id = (data as { request_id?: unknown } | null | undefined)?.request_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Validates a 2xx body against the endpoint's schema. Throws `PlaidSchemaError` (never retried:
 * the same request gets the same body) naming the first failing paths. For an exchange
 * (`nonIdempotent`) the error says the outcome is unknown: an answer that cannot be read may
 * still mean Plaid exchanged the token. Paths, messages and the request id pass `redact`: they
 * can quote the server.
 */
export function parseBody<Schema extends z.ZodType>(
  endpoint: PlaidEndpoint,
  schema: Schema,
  response: TransportResponse,
  how: { nonIdempotent: boolean; redact: (text: string) => string },
): z.output<Schema> {
  const data = bodyOf(response.data);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const options = how.nonIdempotent ? { outcomeUnknown: true, advice: outcomeUnknownAdvice } : {};
  if (data === undefined) {
    throw new PlaidSchemaError(endpoint, [{ path: [], message: 'the body is not JSON' }], undefined, options);
  }
  const issues = toIssues(result.error.issues.slice(0, MAX_SCHEMA_ISSUES)).map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : how.redact(key.slice(0, 200)))),
    message: how.redact(issue.message),
  }));
  const requestId = requestIdOf(data);
  throw new PlaidSchemaError(endpoint, issues, requestId === undefined ? undefined : how.redact(requestId), options);
}
