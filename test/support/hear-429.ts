import { PlaidRateLimitError } from '../../src/errors.js';
import type { RateLimiter, RateLimitRequest } from '../../src/pipeline/rate-limit/rate-limiter.js';

/**
 * Runs one call through `limiter` that Plaid answers with 429 `errorCode`, as the pipeline would,
 * so that the limiter hears it from its own task. Resolves once the call has failed.
 */
export async function hear429(limiter: RateLimiter, request: RateLimitRequest, errorCode: string): Promise<void> {
  const error = new PlaidRateLimitError(
    {
      status: 429,
      errorType: 'RATE_LIMIT_EXCEEDED',
      errorCode,
      errorMessage: 'rate limit exceeded',
      displayMessage: null,
      requestId: 'req-429',
      documentationUrl: undefined,
      suggestedAction: null,
      errorCodeReason: null,
      causes: [],
    },
    { retryable: true },
  );
  await limiter
    .schedule(request, () => Promise.reject(error))
    .catch((caught: unknown) => {
      if (caught !== error) throw caught;
    });
}
