import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../types.js';
import { headerValue } from './headers.js';
import { loadJose } from './jose.js';
import type { KeyCache } from './key-cache.js';
import { type PlaidWebhook, parseWebhook } from './parse.js';
import { reject } from './reject.js';

/** What the verifier needs besides the request. */
export interface VerifyContext {
  /** Plaid's signing keys. */
  keys: KeyCache;
  /** The facade's environment: a webhook of the other one is rejected. */
  environment: string;
  /** The clock, in milliseconds (a seam for tests). */
  now: () => number;
}

/** How old a signature may be, per Plaid's verification rules. */
export const MAX_WEBHOOK_AGE_MS = 5 * 60_000;
// A signature dated later than this ahead of our clock is not Plaid's (clocks drift by seconds, not minutes).
const maxClockAheadMs = 60_000;

/**
 * Verifies a webhook as Plaid's docs prescribe, then parses it: the `Plaid-Verification` JWT must
 * be ES256 (read from its protected header before anything else), signed by the Plaid key it names
 * (`kid`, fetched once and cached), at most five minutes old (`iat`), and its `request_body_sha256`
 * must equal the SHA-256 of the raw body (compared in constant time); then the body's
 * `environment` must be the facade's.
 *
 * @throws WebhookVerificationError with the failing check's code (never quoting the JWT or body)
 * @throws PlaidSchemaError when a verified body is not a webhook this library can read
 * @throws the reason of `signal` when it aborts during the key fetch (the fetch goes on for others)
 */
export async function verifyWebhook(
  request: WebhookRequest,
  context: VerifyContext,
  signal?: AbortSignal,
): Promise<PlaidWebhook> {
  const jwt = headerValue(request?.headers, 'plaid-verification');
  if (jwt === undefined) {
    throw reject('WEBHOOK_SIGNATURE_MISSING', 'no Plaid-Verification header');
  }
  if (jwt === null) {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'more than one Plaid-Verification header');
  }
  const { compactVerify, decodeProtectedHeader } = await loadJose();
  const kid = protectedKeyId(jwt, decodeProtectedHeader);
  const key = await context.keys.get(kid, signal);

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jwt, key, { algorithms: ['ES256'] }));
  } catch {
    // jose's message can quote parts of the token: say only what failed.
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the signature does not verify with the Plaid key it names');
  }
  const claims = readClaims(payload);
  const now = context.now();
  const signedAt = claims.iat * 1000;
  if (now - signedAt > MAX_WEBHOOK_AGE_MS) {
    throw reject(
      'WEBHOOK_TOO_OLD',
      `signed ${Math.round((now - signedAt) / 1000)} s ago; Plaid's limit is ${MAX_WEBHOOK_AGE_MS / 1000} s`,
    );
  }
  if (signedAt - now > maxClockAheadMs) {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'signed in the future (check the server clock)');
  }

  const bytes = bodyBytes(request.body);
  if (!sameHash(createHash('sha256').update(bytes).digest('hex'), claims.request_body_sha256)) {
    throw reject(
      'WEBHOOK_BODY_MISMATCH',
      'the body is not the one Plaid signed (pass the raw bytes as received, e.g. express.raw({ type: "application/json" }))',
    );
  }
  return parseWebhook(bytes, { environment: context.environment, sentAt: new Date(signedAt) });
}

function protectedKeyId(jwt: string, decodeProtectedHeader: (jwt: string) => { alg?: unknown; kid?: unknown }): string {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the Plaid-Verification header is not a JWT');
  }
  // Before any key is looked at: `none`, HS256 "signed" with the public key and the like end here.
  if (header.alg !== 'ES256') {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the JWT is not signed with ES256');
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the JWT names no key (kid)');
  }
  return header.kid;
}

function readClaims(payload: Uint8Array): { iat: number; request_body_sha256: string } {
  let claims: { iat?: unknown; request_body_sha256?: unknown } | null = null;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    claims = null;
  }
  if (
    typeof claims?.iat !== 'number' ||
    !Number.isFinite(claims.iat) ||
    typeof claims.request_body_sha256 !== 'string'
  ) {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the JWT lacks iat or request_body_sha256');
  }
  return { iat: claims.iat, request_body_sha256: claims.request_body_sha256 };
}

function bodyBytes(body: unknown): Uint8Array {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // Most often express.json() ran first: the bytes Plaid signed are gone.
  throw reject(
    'WEBHOOK_BODY_MISMATCH',
    `the body is ${body === null ? 'null' : typeof body}, not the raw bytes; use express.raw({ type: "application/json" }) or await request.text()`,
  );
}

// Constant time over the hex digests (same length whenever the claim is well-formed).
function sameHash(actual: string, claimed: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(claimed.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
