import { WebhookVerificationError, type WebhookVerificationErrorCode } from '../errors.js';

/**
 * The error for a refused webhook: `message` says which check failed and never quotes the JWT or
 * the body. Only `WEBHOOK_KEY_UNAVAILABLE` is retryable (answer 5xx, and Plaid delivers it again).
 */
export function reject(code: WebhookVerificationErrorCode, message: string): WebhookVerificationError {
  // retryable from the code's rule (errors/retryable.ts, owned by pipeline/classify.ts)
  return new WebhookVerificationError(code, `Webhook refused (${code}): ${message}`);
}
