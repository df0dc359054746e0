/** The defaults of the facade's options that are not Plaid's limits (those are in plaid-limits.ts). */
import type { PlaidEnvironment, ResolvedRetry } from '../options.js';

/** Default timeout of one attempt of link-token, exchange and Item-removal calls. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default timeout of one attempt of a balance call: Plaid reads the bank live, sometimes for over 30 s. */
export const DEFAULT_BALANCE_TIMEOUT_MS = 60_000;

/**
 * Default bound of one balance-cache call (`balanceCacheTimeoutMs`): a cache that has not answered
 * by then counts as a miss (the read goes live) or, for a write, as dropped. Well under a second:
 * a cache is worth using only when it is faster than the live read it saves.
 */
export const DEFAULT_BALANCE_CACHE_TIMEOUT_MS = 250;

/**
 * Default `maxBalanceAgeMs`: for Capital One credit cards (no real-time balance), accept one up to
 * a day old, so a read works as written for every institution. Other institutions are never changed.
 */
export const DEFAULT_MAX_BALANCE_AGE_MS = 24 * 60 * 60 * 1000;

/** The documented defaults of `RetryOptions`. */
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({ retries: 3, minDelayMs: 250, maxDelayMs: 8000 });

/** Plaid's base URLs (the same as the official client's `PlaidEnvironments`). */
export const PLAID_BASE_URLS: Readonly<Record<PlaidEnvironment, string>> = Object.freeze({
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
});

/** Default bound of one webhook key fetch, retries included (`webhooks.keyCache.fetchTimeoutMs`). */
export const DEFAULT_WEBHOOK_KEY_FETCH_TIMEOUT_MS = 8_000;
/** Default bound of one Redis call of the shared webhook key cache (`webhooks.keyCache.redis.timeoutMs`). */
export const DEFAULT_WEBHOOK_KEY_REDIS_TIMEOUT_MS = 250;
/** Default prefix of the shared webhook key cache's Redis keys (`webhooks.keyCache.redis.prefix`). */
export const DEFAULT_REDIS_PREFIX_WEBHOOK_KEYS = 'plaid-facade:';

/** The longest `close()` waits for background work (an exchange's save-or-remove, reconciliations), in ms. */
export const CLOSE_WAIT_MS = 30_000;
