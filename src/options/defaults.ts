/**
 * The defaults of the facade: of `createPlaidFacade`'s options, of a call's options and of the
 * operations' inputs, each a named constant here, but for the few named below (Plaid's documented
 * limits, the defaults of `rateLimit.endpoints` and `rateLimit.perItem`, are in plaid-limits.ts).
 * `resolve.ts` fills them in, once; an operation reads its input's defaults from here.
 *
 * Not here: two options whose default is their absence, resolved in `resolve.ts`
 * (`observability.itemIds`: false; `logger`: none unless `PLAID_FACADE_LOG` asks for one,
 * `observability/logger.ts`); a store's or cache's own constructor options (`RedisBalanceCache`'s
 * prefix, say), documented on the store (the stores sit below the options and may not import
 * them); and the internal bounds no option changes, which stay with the code they bound (the
 * exchange's `STORE_WRITE_ATTEMPTS`, the claim's `EXCHANGE_CLAIM_LEASE_MS`, the webhook key call's
 * 4 s and one retry in `facade/webhooks.ts`, the retry budget's costs), except the two listed at
 * the end of this file (`close()`'s wait, answer sizes).
 */
import type { PlaidEndpoint } from '../events.js';
import type { DuplicateItemRule, PlaidEnvironment, ResolvedRetry } from '../options.js';
import { type BalanceCache, MemoryBalanceCache } from '../stores/balance-cache.js';
import { MemoryTokenStore } from '../stores/memory.js';
import type { TokenStore } from '../stores/token-store.js';
import type { RemoveItemReason } from '../types.js';
import { sameInstitutionAndAccount } from './duplicate-item-rule.js';

// ── createPlaidFacade: where and as whom ───────────────────────────────────────────────────────

/** Default `environment`, when neither the option nor `PLAID_ENV` gives one: test data, never billed. */
export const DEFAULT_ENVIRONMENT: PlaidEnvironment = 'sandbox';

/** Plaid's base URLs (the same as the official client's `PlaidEnvironments`): the default `basePath`. */
export const PLAID_BASE_URLS: Readonly<Record<PlaidEnvironment, string>> = Object.freeze({
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
});

/** Default `clientName`: the app name Link shows when `linkToken` is given none. */
export const DEFAULT_CLIENT_NAME = 'plaid-facade';

// ── Timeouts and retry ─────────────────────────────────────────────────────────────────────────

/** Default timeout of one attempt of link-token, exchange and Item-removal calls. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default timeout of one attempt of a balance call: Plaid reads the bank live, sometimes for over 30 s. */
export const DEFAULT_BALANCE_TIMEOUT_MS = 60_000;

/**
 * Default `timeoutMs` of one attempt at `endpoint`, when neither the call nor the facade sets one:
 * `DEFAULT_BALANCE_TIMEOUT_MS` for a live bank read (balances, and `/signal/evaluate`: "Balance-only
 * rulesets may have latency of up to 30 seconds or more"), `DEFAULT_TIMEOUT_MS` for the rest.
 */
export function defaultTimeoutMs(endpoint: PlaidEndpoint): number {
  return endpoint === '/accounts/balance/get' || endpoint === '/signal/evaluate'
    ? DEFAULT_BALANCE_TIMEOUT_MS
    : DEFAULT_TIMEOUT_MS;
}

/** The documented defaults of `RetryOptions`. */
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({ retries: 3, minDelayMs: 250, maxDelayMs: 8000 });

/** Default `CallOptions.lane`: a call someone is waiting for. */
export const DEFAULT_LANE = 'interactive' as const;

// ── Shared state: the token store and the balance cache ───────────────────────────────────────

/**
 * Default `tokenStore` (allowed in `'sandbox'` only): a new `MemoryTokenStore`, which keeps the
 * access tokens in this process's memory and loses them on restart.
 */
export function defaultTokenStore(): TokenStore {
  return new MemoryTokenStore();
}

/** Default bound of one token-store call (`tokenStoreTimeoutMs`), in milliseconds. */
export const DEFAULT_TOKEN_STORE_TIMEOUT_MS = 5_000;

/**
 * Default `balanceCache`: a new `MemoryBalanceCache` with its own defaults (a 32 MiB byte budget,
 * `DEFAULT_BALANCE_CACHE_BYTES`, least recently used evicted first), in this process only.
 */
export function defaultBalanceCache(): BalanceCache {
  return new MemoryBalanceCache();
}

/**
 * Default bound of one balance-cache call (`balanceCacheTimeoutMs`): a cache that has not answered
 * by then counts as a miss (the read goes live) or, for a write, as dropped. Well under a second:
 * a cache is worth using only when it is faster than the live read it saves.
 */
export const DEFAULT_BALANCE_CACHE_TIMEOUT_MS = 250;

// ── Balances ───────────────────────────────────────────────────────────────────────────────────

/** Default `singleFlight`: identical balance reads under way share one Plaid call. */
export const DEFAULT_SINGLE_FLIGHT = true;

/**
 * Default `maxBalanceAgeMs`: for Capital One credit cards (no real-time balance), accept one up to
 * a day old, so a read works as written for every institution. Other institutions are never changed.
 */
export const DEFAULT_MAX_BALANCE_AGE_MS = 24 * 60 * 60 * 1000;

/** Default of `getBalances`' `maxAgeMs`: 0, no cached balance is accepted (the read goes to Plaid). */
export const DEFAULT_MAX_AGE_MS = 0;

/** Default of `getAllBalances`' `concurrency`: attempts sent to Plaid at once for one user. */
export const DEFAULT_ALL_BALANCES_CONCURRENCY = 4;

// ── Linking ────────────────────────────────────────────────────────────────────────────────────

/**
 * Default `duplicateItemRule`: Plaid's documented method (same institution, an account with the
 * same name and mask), `sameInstitutionAndAccount`.
 */
export const DEFAULT_DUPLICATE_ITEM_RULE: DuplicateItemRule = sameInstitutionAndAccount;

/** Default of `linkToken`'s `language`: the language Link speaks. */
export const DEFAULT_LINK_LANGUAGE = 'en';
/** Default of `linkToken`'s `countryCodes`. */
export const DEFAULT_LINK_COUNTRY_CODES: readonly string[] = Object.freeze(['US']);
/** Default of `linkToken`'s `products` (for a new Item; update mode sends products only when given). */
export const DEFAULT_LINK_PRODUCTS: readonly string[] = Object.freeze(['auth']);

// ── Removing an Item ───────────────────────────────────────────────────────────────────────────

/** `removeItem`'s `reason` when the caller names none: the user leaves (`/item/products/terminate`'s `USER_OFFBOARDING`). */
export const DEFAULT_REMOVE_REASON: RemoveItemReason = 'USER_OFFBOARDING';

/** `removeItem`'s `unreadable`: a record that cannot be read fails the call and is kept (`'delete'` removes it). */
export const DEFAULT_REMOVE_UNREADABLE: 'fail' | 'delete' = 'fail';

// ── Rate limiting (besides Plaid's limit table, plaid-limits.ts) ──────────────────────────────

/**
 * Default of `RateLimitOptions.maxWaitMs` (interactive calls): a few seconds. A user-facing read
 * beyond a per-Item limit (5 a minute for balances in Production) would otherwise wait up to a
 * minute; it fails fast instead with `RATE_LIMIT_WAIT_EXCEEDED` and `retryAfterMs`.
 */
export const DEFAULT_MAX_WAIT_MS = 5_000;
/** Default of `RateLimitOptions.lanes.background.maxShare`. */
export const DEFAULT_BACKGROUND_SHARE = 0.5;
/** Default of `RateLimitOptions.maxQueued`. */
export const DEFAULT_MAX_QUEUED = 1_000;
/** Default of `RateLimitRedisOptions.prefix`. */
export const DEFAULT_REDIS_PREFIX = 'plaid-facade';
/** Default of `RateLimitRedisOptions.timeoutMs`: the bound of every Redis operation of the limiter. */
export const DEFAULT_REDIS_TIMEOUT_MS = 1_000;

// ── Webhooks ───────────────────────────────────────────────────────────────────────────────────

/** Default bound of one webhook key fetch, retries included (`webhooks.keyCache.fetchTimeoutMs`). */
export const DEFAULT_WEBHOOK_KEY_FETCH_TIMEOUT_MS = 8_000;
/** Default bound of one Redis call of the shared webhook key cache (`webhooks.keyCache.redis.timeoutMs`). */
export const DEFAULT_WEBHOOK_KEY_REDIS_TIMEOUT_MS = 250;
/** Default prefix of the shared webhook key cache's Redis keys (`webhooks.keyCache.redis.prefix`). */
export const DEFAULT_REDIS_PREFIX_WEBHOOK_KEYS = 'plaid-facade:';

// ── Safety bounds no option changes (listed here so that every default has one home) ──────────

/** The longest `close()` waits for background work (an exchange's save-or-remove, reconciliations), in ms. */
export const CLOSE_WAIT_MS = 30_000;

/**
 * The largest answer read from each endpoint, in bytes. Plaid's answers to these calls are a few
 * kilobytes; a balance answer grows with the Item's accounts (about 0.4 KB each), and 512 KiB
 * holds some 1,200 of them. A bigger body is not Plaid's: it is refused unread
 * (`RESPONSE_TOO_LARGE`) rather than buffered, and so never reaches a parse that would block the
 * event loop for long. Endpoints not listed get `DEFAULT_MAX_BODY_BYTES`.
 */
export const MAX_BODY_BYTES: Readonly<Partial<Record<PlaidEndpoint, number>>> = Object.freeze({
  '/link/token/create': 64 * 1024,
  '/item/public_token/exchange': 64 * 1024,
  '/item/remove': 64 * 1024,
  '/item/products/terminate': 64 * 1024,
  '/accounts/balance/get': 512 * 1024,
  '/accounts/get': 512 * 1024,
});

/** The answer size limit of an endpoint `MAX_BODY_BYTES` does not list. */
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024;

/** The largest answer read from `endpoint`, in bytes (`MAX_BODY_BYTES`, else `DEFAULT_MAX_BODY_BYTES`). */
export function maxBodyBytes(endpoint: PlaidEndpoint): number {
  return MAX_BODY_BYTES[endpoint] ?? DEFAULT_MAX_BODY_BYTES;
}
