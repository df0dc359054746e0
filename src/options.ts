/**
 * The facade's options: the types users write, and the resolved shapes the pipeline and the rate
 * limiter receive. Their checks live in options/checks.ts, their defaults in options/defaults.ts
 * and options/plaid-limits.ts, and resolving them, once, in options/resolve.ts; the rate
 * limiter's, the webhooks' and the duplicate rule's types in options/rate-limit.ts,
 * options/webhooks.ts and options/duplicate-item-rule.ts. This file re-exports all of it, so the rest of src/ imports options from here.
 */
import type { PlaidApi } from 'plaid';
import type { PlaidFacadeEvent } from './events.js';
import type { Logger } from './observability/logger.js';
import type { DuplicateItemRule } from './options/duplicate-item-rule.js';
import type { RateLimitOptions, ResolvedRateLimit } from './options/rate-limit.js';
import type { ResolvedWebhookKeys, WebhooksOptions } from './options/webhooks.js';
import type { BalanceCache } from './stores/balance-cache.js';
import type { TokenStore } from './stores/token-store.js';

/** Plaid's environments. The Development environment is retired. */
export type PlaidEnvironment = 'sandbox' | 'production';

/** How transient failures are retried. Each field has a documented default. */
export interface RetryOptions {
  /** Retries after the first attempt, 0 to 20. Default 3. */
  retries?: number | undefined;
  /** Base of the exponential backoff, in milliseconds. Default 250. */
  minDelayMs?: number | undefined;
  /** Cap of any one delay, in milliseconds. Default 8000. */
  maxDelayMs?: number | undefined;
}

/**
 * Options of `createPlaidFacade`. `clientId`, `secret` and `environment` fall back to the
 * environment variables `PLAID_CLIENT_ID`, `PLAID_SECRET` and `PLAID_ENV`.
 */
export interface PlaidFacadeOptions {
  /** Your Plaid `client_id`. Default: `process.env.PLAID_CLIENT_ID`; required one way or the other. */
  clientId?: string | undefined;
  /**
   * Your Plaid secret for the environment. Default: `process.env.PLAID_SECRET`; required one way
   * or the other. Never logged nor put in an error.
   */
  secret?: string | undefined;
  /** Which Plaid environment to call. Default: `process.env.PLAID_ENV`, else `'sandbox'`. */
  environment?: PlaidEnvironment | undefined;
  /** A base URL that overrides `environment` (a proxy, or a fake Plaid in tests). A trailing `/` is ignored. */
  basePath?: string | undefined;
  /**
   * Where access tokens are kept. Default: a new `MemoryTokenStore` in `'sandbox'`. Required in
   * `'production'` (a durable store such as `PostgresTokenStore` or `RedisTokenStore`, or a
   * `MemoryTokenStore` passed explicitly): without it `createPlaidFacade` throws `InvalidArgumentError`.
   */
  tokenStore?: TokenStore | undefined;
  /** Retry of transient failures, or `false` for none. Defaults: see `RetryOptions`. */
  retry?: RetryOptions | false | undefined;
  /** Client-side rate limiting, or `false` for none. Default: Plaid's documented limits. */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * Timeout of one attempt, in milliseconds, for every call. Default: 30 000 for link token,
   * exchange and Item removal, 60 000 for balances (Plaid says a balance call can take over 30 s).
   */
  timeoutMs?: number | undefined;
  /**
   * The longest one token-store call (get, set, delete) may take, in milliseconds. A call that
   * has not settled by then counts as failed (`TokenStoreError`, code `TOKEN_STORE_TIMEOUT`):
   * after an exchange the write is retried, then the Item removed at Plaid, so a hanging store
   * never holds a call, nor a fresh access token in memory only. Default 5 000.
   */
  tokenStoreTimeoutMs?: number | undefined;
  /**
   * The longest one balance-cache call (get, set) may take, in milliseconds. A read that has not
   * answered by then counts as a miss (the balance is read live), a write as dropped; both send a
   * `balance-cache-failed` event. Default 250.
   */
  balanceCacheTimeoutMs?: number | undefined;
  /**
   * Receives request, response, retry, rate-limited, error and exchange-settled events. Never
   * sees a secret. A listener that throws, or an async one that rejects, affects nothing.
   */
  onEvent?: ((event: PlaidFacadeEvent) => void) | undefined;
  /** An already configured official client to send requests through. */
  plaidApi?: PlaidApi | undefined;
  /** The app name Link shows when `linkToken` is given no `clientName`. Default `'plaid-facade'`. */
  clientName?: string | undefined;
  /**
   * Where balance reads are kept for callers that accept an older one (`getBalances`'s
   * `maxAgeMs`). Default: a `MemoryBalanceCache` (a 32 MiB budget). `RedisBalanceCache`
   * (`plaid-facade/stores/redis`) shares them between processes; it holds personal data.
   */
  balanceCache?: BalanceCache | undefined;
  /**
   * Whether identical balance reads under way share one Plaid call (same user, Item, `accountIds`
   * and `minLastUpdated`). Default `true`: each read still ends at its own signal.
   */
  singleFlight?: boolean | undefined;
  /**
   * For Capital One Items (`ins_128026`) only: the oldest balance accepted when a read gives no
   * `minLastUpdated`, sent as `min_last_updated_datetime` (Plaid requires it there for credit
   * cards and other non-depository accounts). Default 86 400 000 (a day); `false` sends nothing,
   * and Plaid then answers `INVALID_FIELD` for those accounts. Other institutions' reads are never
   * changed.
   */
  maxBalanceAgeMs?: number | false | undefined;
  /**
   * How `exchange` spots a duplicate Item from Link's metadata before exchanging. Default: Plaid's
   * documented method (same institution, an account with the same name and mask). `false` turns
   * the check off; a function of your own replaces it.
   */
  duplicateItemRule?: DuplicateItemRule | false | undefined;
  /**
   * Where to write one line per call (endpoint, request id, attempts, duration): pino, bunyan,
   * `console` or anything with `debug`, `info`, `warn` and `error` taking `(fields, message)`.
   * Default: with `PLAID_FACADE_LOG=debug|info|warn` in the environment, lines of that level and
   * above to stderr; otherwise none. Never a secret or a token.
   */
  logger?: Logger | undefined;
  /** What logs, diagnostics-channel messages and spans may carry beyond the defaults. */
  observability?: ObservabilityOptions | undefined;
  /** How `plaid.webhooks` fetches and keeps Plaid's webhook verification keys. */
  webhooks?: WebhooksOptions | undefined;
}

/** Options of what observing the facade (logs, the diagnostics channel, `plaid-facade/otel`) may see. */
export interface ObservabilityOptions {
  /**
   * Put the Item id in log lines, diagnostics-channel messages and spans (`plaid.item_id`).
   * Default `false`: an Item id points at one person's bank connection.
   */
  itemIds?: boolean | undefined;
}

/** Options of one call, overriding the facade's. */
export interface CallOptions {
  /** Cancels the call, at once, with no retry after it. */
  signal?: AbortSignal | undefined;
  /** Timeout of one attempt, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Retry for this call, or `false` for none. Fields it sets win over the facade's. */
  retry?: RetryOptions | false | undefined;
  /**
   * `'interactive'` (default): may use a whole rate-limit window, goes first, and waits at most
   * `rateLimit.maxWaitMs`. `'background'` (sweeps, jobs): never takes more than
   * `rateLimit.lanes.background.maxShare` of a window, and waits as long as it takes.
   */
  lane?: 'interactive' | 'background' | undefined;
}

/** Retry options with every default filled in. */
export interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export { checkInput, httpUrl, idSchema, nonBlank, publicTokenSchema } from './options/checks.js';
export {
  DEFAULT_BACKGROUND_SHARE,
  DEFAULT_BALANCE_TIMEOUT_MS,
  DEFAULT_MAX_QUEUED,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  PLAID_BASE_URLS,
} from './options/defaults.js';
export type { DuplicateItemRule, ExistingItem, LinkCandidate } from './options/duplicate-item-rule.js';
// Plaid's documented limits (the defaults of `rateLimit.endpoints` and `.perItem`) live in options/plaid-limits.ts.
export { defaultLimits, type EndpointLimits } from './options/plaid-limits.js';
export type {
  LimitSpec,
  RateLimitLanes,
  RateLimitOptions,
  RateLimitRedisOptions,
  RedisLike,
  ResolvedRateLimit,
} from './options/rate-limit.js';
export { resolveCall, resolveOptions, resolveRateLimitOptions } from './options/resolve.js';
export type {
  ResolvedWebhookKeys,
  WebhookKeyCacheOptions,
  WebhookKeyRedisClient,
  WebhookKeyRedisOptions,
  WebhooksOptions,
} from './options/webhooks.js';

/** `createPlaidFacade`'s options, checked, with every default filled in. */
export interface ResolvedOptions {
  clientId: string;
  secret: string;
  environment: PlaidEnvironment;
  /** Without a trailing `/`. */
  basePath: string;
  /** The `tokenStore` given, else the default one (`defaultTokenStore`). */
  tokenStore: TokenStore;
  retry: ResolvedRetry;
  /** The facade's own `retry` option, over which a call's is merged field by field. */
  retryOption: RetryOptions | false | undefined;
  rateLimit: ResolvedRateLimit | false;
  timeoutMs: number | undefined;
  tokenStoreTimeoutMs: number;
  balanceCacheTimeoutMs: number;
  onEvent: ((event: PlaidFacadeEvent) => void) | undefined;
  plaidApi: PlaidApi | undefined;
  clientName: string;
  /**
   * The balance cache given, else the default one (`defaultBalanceCache`), as the token store
   * wants it (`forTokenStore`, when a `tokenStore` was given).
   */
  balanceCache: BalanceCache;
  singleFlight: boolean;
  maxBalanceAgeMs: number | undefined;
  /** The rule given, else Plaid's (`DEFAULT_DUPLICATE_ITEM_RULE`); `false`: no check. */
  duplicateItemRule: DuplicateItemRule | false;
  /** The `logger` option, else the stderr logger `PLAID_FACADE_LOG` asks for, else none. */
  logger: Logger | undefined;
  /** Whether Item ids may appear in logs, channel messages and spans. */
  itemIdsObserved: boolean;
  /** `webhooks.keyCache`, defaults filled in. */
  webhookKeys: ResolvedWebhookKeys;
}

/** One call's options, resolved over the facade's. */
export interface ResolvedCall {
  timeoutMs: number;
  retry: ResolvedRetry;
  signal: AbortSignal | undefined;
  /** The call's rate-limit lane. */
  lane: 'interactive' | 'background';
}
