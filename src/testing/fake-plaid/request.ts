import { errorBody, FakePlaidErrorAnswer, plaidError } from './errors.js';

/** A request as both adapters (msw and node:http) hand it to the core. */
export interface FakeRequest {
  /** The path, e.g. `'/accounts/balance/get'` (any base path before it is already cut off). */
  endpoint: string;
  /** A header by name, case-insensitive. */
  header(name: string): string | undefined;
  /** The raw body. */
  bodyText: string;
  /** Aborted when the client goes away (used to cut a simulated latency short). */
  signal?: AbortSignal | undefined;
}

/** A JSON object body. */
export type JsonBody = Record<string, unknown>;

/** Parses the body as Plaid does: a JSON object, else `INVALID_BODY`. */
export function parseRequestBody(text: string): JsonBody {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw plaidError('INVALID_BODY');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw plaidError('INVALID_BODY');
  return value as JsonBody;
}

/** Credentials, from the headers first, then the body. */
export function readCredentials(request: FakeRequest, body: JsonBody): { clientId?: string; secret?: string } {
  const clientId = request.header('plaid-client-id') ?? stringOrUndefined(body.client_id);
  const secret = request.header('plaid-secret') ?? stringOrUndefined(body.secret);
  return { ...(clientId ? { clientId } : {}), ...(secret ? { secret } : {}) };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `UNKNOWN_FIELDS` for any top-level key the endpoint does not define. */
export function rejectUnknownFields(body: JsonBody, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(body).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw plaidError('UNKNOWN_FIELDS', unknown.join(', '));
}

/** `MISSING_FIELDS` naming every missing field (Plaid lists them all in one message). */
export function missingFields(missing: string[]): FakePlaidErrorAnswer {
  return plaidError('MISSING_FIELDS', missing.join(', '));
}

/** Throws `MISSING_FIELDS` when `missing` is not empty. */
export function requireFields(missing: string[]): void {
  if (missing.length > 0) throw missingFields(missing);
}

/** `INVALID_FIELD` with Plaid's wording for a field of the wrong kind. */
export function invalidField(message: string): FakePlaidErrorAnswer {
  return new FakePlaidErrorAnswer({ ...errorBody('INVALID_FIELD'), error_message: message });
}

/** A non-empty string member, or `undefined` when absent; `INVALID_FIELD` when of the wrong type. */
export function optionalString(body: JsonBody, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField(`${key} must be a string`);
  return value;
}

/** An array of strings, or `undefined` when absent; `INVALID_FIELD` otherwise. */
export function optionalStringArray(body: JsonBody, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw invalidField(`${key} must be an array of strings`);
  }
  return value as string[];
}

/** An object member, or `undefined` when absent; `INVALID_FIELD` otherwise. */
export function optionalObject(body: JsonBody, key: string): JsonBody | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(`${key} must be an object`);
  return value as JsonBody;
}
