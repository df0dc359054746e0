import { PlaidFacadeError, type SafeCause } from '../errors.js';

/** Why a webhook was rejected: the `code` of a `WebhookVerificationError`. */
export type WebhookVerificationErrorCode =
  /** No `Plaid-Verification` header (or an empty one). */
  | 'WEBHOOK_SIGNATURE_MISSING'
  /** The JWT is malformed, not ES256, names no or an unknown key, or its signature does not verify. */
  | 'WEBHOOK_SIGNATURE_INVALID'
  /** Signed more than five minutes ago (`iat`): a replay, or a receiver that sat on it. */
  | 'WEBHOOK_TOO_OLD'
  /** The SHA-256 of the raw body is not the signed one: the body was changed or re-serialised. */
  | 'WEBHOOK_BODY_MISMATCH'
  /** Plaid says the signing key has expired. */
  | 'WEBHOOK_KEY_EXPIRED'
  /** Plaid's key could not be fetched (network, Plaid down): answer 5xx so Plaid retries. */
  | 'WEBHOOK_KEY_UNAVAILABLE'
  /** A webhook of the other environment (sandbox vs production). */
  | 'WEBHOOK_WRONG_ENVIRONMENT';

/**
 * Thrown by `webhooks.verify` and `webhooks.handle` when a webhook cannot be trusted. Answer it
 * with 400 (or 401), except `WEBHOOK_KEY_UNAVAILABLE` (`retryable: true`): answer 5xx so Plaid
 * delivers it again. The message says what failed and never quotes the JWT or the body.
 *
 * @example
 * ```ts
 * try {
 *   await plaid.webhooks.handle({ body: req.body, headers: req.headers });
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) res.status(error.retryable ? 503 : 400).end();
 *   else throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends PlaidFacadeError {
  declare readonly code: WebhookVerificationErrorCode;

  constructor(code: WebhookVerificationErrorCode, message: string, options: { cause?: SafeCause } = {}) {
    super(`Webhook rejected (${code}): ${message}`, {
      code,
      retryable: code === 'WEBHOOK_KEY_UNAVAILABLE',
      cause: options.cause,
    });
  }
}
