import { createHash } from 'node:crypto';
import { PlaidApiError } from './errors.js';
import { outcomeUnknownAdvice } from './map-error.js';

/** How many uncertain exchanges a facade remembers; the oldest are forgotten first. */
const CAPACITY = 1000;

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
    if (this.#digests.size > CAPACITY) {
      const oldest = this.#digests.values().next().value;
      if (oldest !== undefined) this.#digests.delete(oldest);
    }
  }

  /**
   * The error to report for a failed exchange of `publicToken`: `error` itself, or, for an
   * `INVALID_PUBLIC_TOKEN` after an uncertain attempt with the same token, the same Plaid error
   * marked `outcomeUnknown` with a message that says what probably happened.
   */
  explain(publicToken: string, error: unknown): unknown {
    if (!(error instanceof PlaidApiError) || error.errorCode !== 'INVALID_PUBLIC_TOKEN') return error;
    if (!this.#digests.has(digestOf(publicToken))) return error;
    return new PlaidApiError(error, {
      retryable: false,
      outcomeUnknown: true,
      message:
        'Plaid answered INVALID_PUBLIC_TOKEN for a public token whose earlier exchange got no answer: ' +
        `that exchange may have succeeded, and its Item may exist at Plaid without a stored access token. ${outcomeUnknownAdvice}`,
    });
  }
}

function digestOf(publicToken: string): string {
  return createHash('sha256').update(publicToken).digest('base64url');
}
