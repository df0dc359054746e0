/**
 * Public tokens whose exchange may have happened at Plaid without an answer: step 1 of the
 * exchange's "nothing lost" story (`facade/exchange.ts`), which remembers them here and asks here
 * how to explain a later `INVALID_PUBLIC_TOKEN`.
 */
import { createHash } from 'node:crypto';
import { outcomeUnknownAdvice, PlaidApiError } from '../../errors.js';
import { isInvalidPublicToken } from '../../pipeline/classify.js';

/** How many uncertain exchanges a facade remembers; the oldest are forgotten first. */
const uncertainCapacity = 1000;

/**
 * Public tokens whose exchange may have happened at Plaid without an answer reaching us. Only a
 * SHA-256 digest of each token is kept. When the same token is exchanged again and Plaid answers
 * `INVALID_PUBLIC_TOKEN`, that answer most likely means "already exchanged by the lost attempt",
 * and the caller is told so instead of "invalid token".
 */
export class UncertainExchanges {
  readonly #digests = new Set<string>();

  /** Remembers that exchanging `publicToken` had an unknown outcome. */
  remember(publicToken: string): void {
    const digest = digestOf(publicToken);
    this.#digests.delete(digest);
    this.#digests.add(digest);
    if (this.#digests.size > uncertainCapacity) {
      const oldest = this.#digests.values().next().value;
      if (oldest !== undefined) this.#digests.delete(oldest);
    }
  }

  /**
   * The error to report for a failed exchange of `publicToken`: `error` itself, or, for
   * `INVALID_PUBLIC_TOKEN`, the same Plaid error with a message that says what it can mean; after an
   * uncertain attempt with the same token, marked `outcomeUnknown` and saying what probably happened.
   */
  explain(publicToken: string, error: unknown): unknown {
    if (!isInvalidPublicToken(error)) return error;
    if (!this.#digests.has(digestOf(publicToken))) {
      // Plaid's error_message says "expired" for every refused public token, also one already
      // exchanged or not a public token at all; the message lists what it can be.
      return new PlaidApiError(error, {
        retryable: error.retryable, // as classify.ts decided: never (INVALID_INPUT)
        message:
          `Plaid refused the public token (INVALID_PUBLIC_TOKEN, HTTP ${error.status}): it was already exchanged ` +
          '(a public token is single use), has expired (30 minutes after Link), comes from another Plaid ' +
          'environment than this facade, or is not a public token. Ask the user to link again (a new public token).',
      });
    }
    return new PlaidApiError(error, {
      retryable: error.retryable, // as classify.ts decided: never (INVALID_INPUT)
      outcomeUnknown: true,
      message:
        'Plaid answered INVALID_PUBLIC_TOKEN for a public token whose earlier exchange got no answer: ' +
        `that exchange may have succeeded, and its Item may exist at Plaid without a stored access token. ${outcomeUnknownAdvice}`,
    });
  }
}

/** Only a digest of a public token is kept. */
function digestOf(publicToken: string): string {
  return createHash('sha256').update(publicToken).digest('base64url');
}
