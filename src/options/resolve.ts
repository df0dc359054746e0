/**
 * Resolving the options, once: `createPlaidFacade`'s (credentials from the environment, defaults
 * filled in, Plaid's limits merged under the user's) and each call's over the facade's.
 */
import { InvalidArgumentError } from '../errors.js';
import type { PlaidEndpoint } from '../events.js';
import { resolveLogger } from '../observability/logger.js';
import type {
  CallOptions,
  PlaidEnvironment,
  PlaidFacadeOptions,
  RateLimitOptions,
  ResolvedCall,
  ResolvedOptions,
  ResolvedRateLimit,
  ResolvedRetry,
  ResolvedWebhookKeys,
  RetryOptions,
  WebhookKeyCacheOptions,
} from '../options.js';
import { toIssues } from '../schemas/issues.js';
import type { BalanceCache } from '../stores/balance-cache.js';
import type { TokenStore } from '../stores/token-store.js';
import { callOptionsSchema, checkInput, facadeOptionsSchema, rateLimitSchema } from './checks.js';
import {
  DEFAULT_BACKGROUND_SHARE,
  DEFAULT_BALANCE_CACHE_TIMEOUT_MS,
  DEFAULT_CLIENT_NAME,
  DEFAULT_DUPLICATE_ITEM_RULE,
  DEFAULT_ENVIRONMENT,
  DEFAULT_LANE,
  DEFAULT_MAX_BALANCE_AGE_MS,
  DEFAULT_MAX_QUEUED,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REDIS_PREFIX_WEBHOOK_KEYS,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_RETRY,
  DEFAULT_SINGLE_FLIGHT,
  DEFAULT_TOKEN_STORE_TIMEOUT_MS,
  DEFAULT_WEBHOOK_KEY_FETCH_TIMEOUT_MS,
  DEFAULT_WEBHOOK_KEY_REDIS_TIMEOUT_MS,
  defaultBalanceCache,
  defaultTimeoutMs,
  defaultTokenStore,
  PLAID_BASE_URLS,
} from './defaults.js';
import { explainOptionIssues } from './hints.js';
import { defaultLimits, type EndpointLimits } from './plaid-limits.js';

/** The environment variables credentials fall back to, by option. */
const environmentVariables = { clientId: 'PLAID_CLIENT_ID', secret: 'PLAID_SECRET', environment: 'PLAID_ENV' } as const;

/**
 * Why a production facade needs a `tokenStore`: the default in-memory store loses every access
 * token on restart, and the Items stay billed at Plaid with no token left to remove them.
 */
const PRODUCTION_NEEDS_STORE =
  "is required when environment is 'production': the default in-memory store loses every access token on restart " +
  "(the Items stay billed at Plaid). Pass a durable store: PostgresTokenStore ('plaid-facade/stores/postgres') or " +
  "RedisTokenStore ('plaid-facade/stores/redis'), wrapped in EncryptedTokenStore; or pass new MemoryTokenStore() " +
  'explicitly for tests and scripts';

/**
 * Checks `createPlaidFacade`'s options and fills in every default: credentials from
 * `PLAID_CLIENT_ID`, `PLAID_SECRET` and `PLAID_ENV` where the options leave them out, the base
 * URL of the environment, the retry defaults, and Plaid's documented limits merged under the
 * user's. Throws `InvalidArgumentError` naming each bad option (and the variable it came from).
 */
export function resolveOptions(
  options: PlaidFacadeOptions | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOptions {
  const given = readOptions(options);
  const fromEnv = (key: keyof typeof environmentVariables): string | undefined =>
    given[key] === undefined ? env[environmentVariables[key]] : undefined;
  const candidate = {
    ...given,
    clientId: given.clientId ?? fromEnv('clientId'),
    secret: given.secret ?? fromEnv('secret'),
    environment: given.environment ?? fromEnv('environment') ?? DEFAULT_ENVIRONMENT,
  };
  if (candidate.environment === 'development') {
    const source = given.environment === undefined ? ' (read from the environment variable PLAID_ENV)' : '';
    throw new InvalidArgumentError('createPlaidFacade options', [
      {
        path: ['environment'],
        message:
          `'development' was retired by Plaid${source}: use 'sandbox' (test data) or 'production' (live data), ` +
          "each with its own secret: the sandbox secret for 'sandbox', the production secret for 'production'",
      },
    ]);
  }
  const result = parseOptions(candidate);
  if (!result.success) {
    throw new InvalidArgumentError(
      'createPlaidFacade options',
      explainOptionIssues(
        toIssues(result.error.issues),
        given as Record<string, unknown>,
        environmentVariables,
        Object.keys(facadeOptionsSchema.shape),
      ),
    );
  }
  const valid = result.data;
  if (valid.environment === 'production' && valid.tokenStore === undefined) {
    throw new InvalidArgumentError('createPlaidFacade options', [
      { path: ['tokenStore'], message: PRODUCTION_NEEDS_STORE },
    ]);
  }
  return {
    clientId: valid.clientId,
    secret: valid.secret,
    environment: valid.environment,
    basePath: (valid.basePath ?? PLAID_BASE_URLS[valid.environment]).replace(/\/+$/, ''),
    tokenStore: valid.tokenStore ?? defaultTokenStore(),
    retry: resolveRetry(valid.retry),
    retryOption: valid.retry,
    rateLimit: valid.rateLimit === false ? false : resolveRateLimit(valid.rateLimit ?? {}, valid.environment),
    timeoutMs: valid.timeoutMs,
    tokenStoreTimeoutMs: valid.tokenStoreTimeoutMs ?? DEFAULT_TOKEN_STORE_TIMEOUT_MS,
    balanceCacheTimeoutMs: valid.balanceCacheTimeoutMs ?? DEFAULT_BALANCE_CACHE_TIMEOUT_MS,
    onEvent: valid.onEvent,
    plaidApi: valid.plaidApi,
    clientName: valid.clientName ?? DEFAULT_CLIENT_NAME,
    balanceCache: cacheFor(valid.balanceCache ?? defaultBalanceCache(), valid.tokenStore),
    singleFlight: valid.singleFlight ?? DEFAULT_SINGLE_FLIGHT,
    maxBalanceAgeMs:
      valid.maxBalanceAgeMs === false ? undefined : (valid.maxBalanceAgeMs ?? DEFAULT_MAX_BALANCE_AGE_MS),
    duplicateItemRule: valid.duplicateItemRule ?? DEFAULT_DUPLICATE_ITEM_RULE,
    logger: resolveLogger(valid.logger, env),
    itemIdsObserved: valid.observability?.itemIds === true,
    webhookKeys: resolveWebhookKeys(valid.webhooks?.keyCache),
  };
}

/**
 * Checks one call's options and resolves them over the facade's: the attempt timeout (the
 * call's, else the facade's, else the endpoint's default) and the retry options (the call's
 * fields over the facade's; `false` on either turns retry off).
 */
export function resolveCall(
  options: ResolvedOptions,
  endpoint: PlaidEndpoint,
  call: CallOptions | undefined,
): ResolvedCall {
  checkInput('call options', callOptionsSchema, call);
  return {
    timeoutMs: call?.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs(endpoint),
    retry: call?.retry === undefined ? options.retry : resolveRetry(mergeRetry(options.retryOption, call.retry)),
    signal: call?.signal,
    lane: call?.lane ?? DEFAULT_LANE,
  };
}

/**
 * Checks and resolves `rateLimit` alone (as `resolveOptions` does within the facade's options):
 * for the limiter's own tests and benches, which build a limiter without a facade.
 */
export function resolveRateLimitOptions(
  options: RateLimitOptions | false | undefined,
  environment: PlaidEnvironment,
): ResolvedRateLimit | false {
  const valid = checkInput('rateLimit options', rateLimitSchema.optional(), options);
  return valid === false ? false : resolveRateLimit(valid ?? {}, environment);
}

/**
 * The balance cache as the facade's token store wants it (e.g. encrypted with its keys): only for
 * a `tokenStore` the user gave (the default in-memory store has no keys to lend).
 */
function cacheFor(cache: BalanceCache, tokenStore: TokenStore | undefined): BalanceCache {
  return tokenStore && typeof cache.forTokenStore === 'function' ? cache.forTokenStore(tokenStore) : cache;
}

function resolveWebhookKeys(options: WebhookKeyCacheOptions | undefined): ResolvedWebhookKeys {
  const redis = options?.redis;
  return {
    fetchTimeoutMs: options?.fetchTimeoutMs ?? DEFAULT_WEBHOOK_KEY_FETCH_TIMEOUT_MS,
    redis: redis && {
      client: redis.client,
      prefix: redis.prefix ?? DEFAULT_REDIS_PREFIX_WEBHOOK_KEYS,
      timeoutMs: redis.timeoutMs ?? DEFAULT_WEBHOOK_KEY_REDIS_TIMEOUT_MS,
    },
  };
}

function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  if (options === false) return { ...DEFAULT_RETRY, retries: 0 };
  return {
    retries: options?.retries ?? DEFAULT_RETRY.retries,
    minDelayMs: options?.minDelayMs ?? DEFAULT_RETRY.minDelayMs,
    maxDelayMs: options?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}

function mergeRetry(facade: RetryOptions | false | undefined, call: RetryOptions | false): RetryOptions | false {
  if (call === false || facade === false || facade === undefined) return call;
  return { ...facade, ...call };
}

function resolveRateLimit(options: RateLimitOptions, environment: PlaidEnvironment): ResolvedRateLimit {
  const limits: Record<string, EndpointLimits> = {};
  for (const [path, spec] of Object.entries(defaultLimits(environment))) limits[path] = { ...spec };
  for (const [path, spec] of Object.entries(options.endpoints ?? {}))
    limits[path] = { ...limits[path], perEndpoint: spec };
  for (const [path, spec] of Object.entries(options.perItem ?? {})) limits[path] = { ...limits[path], perItem: spec };
  const redis = options.redis;
  return {
    limits,
    maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
    maxWaitMs: options.maxWaitMs === Number.POSITIVE_INFINITY ? undefined : (options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS),
    backgroundShare: options.lanes?.background?.maxShare ?? DEFAULT_BACKGROUND_SHARE,
    redis: redis && {
      client: redis.client,
      prefix: redis.prefix ?? DEFAULT_REDIS_PREFIX,
      timeoutMs: redis.timeoutMs ?? redis.readyTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
    },
  };
}

/**
 * Copies the options into a plain object, so that a getter runs once, here, and a getter that
 * throws becomes an `InvalidArgumentError` naming the option rather than a raw error.
 */
/**
 * Checks the options (read once: what the checks read is what the facade keeps, zod copying each
 * nested object). A getter or a Proxy that throws anywhere inside them (`retry.retries`,
 * `logger.error`, …) ends in `InvalidArgumentError` naming the option, never the raw error (which
 * may quote a secret, a vault's answer say).
 */
function parseOptions(candidate: Record<string, unknown>): ReturnType<typeof facadeOptionsSchema.safeParse> {
  try {
    return facadeOptionsSchema.safeParse(candidate);
  } catch {
    // Which option: checked one by one (only on this failure path, so a getter may be read again).
    const key = Object.entries(facadeOptionsSchema.shape).find(([name, schema]) => {
      try {
        schema.safeParse(candidate[name]);
        return false;
      } catch {
        return true;
      }
    })?.[0];
    throw new InvalidArgumentError('createPlaidFacade options', [
      { path: key === undefined ? [] : [key], message: 'could not be read (a getter or proxy inside it threw)' },
    ]);
  }
}

function readOptions(options: PlaidFacadeOptions | undefined): PlaidFacadeOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createPlaidFacade options', [{ path: [], message: 'must be an object' }]);
  }
  const copy: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(options);
  } catch {
    throw new InvalidArgumentError('createPlaidFacade options', [
      { path: [], message: 'could not be read (a proxy threw)' },
    ]);
  }
  for (const key of keys) {
    try {
      copy[key] = (options as Record<string, unknown>)[key];
    } catch {
      throw new InvalidArgumentError('createPlaidFacade options', [
        { path: [key], message: 'could not be read (its getter threw)' },
      ]);
    }
  }
  return copy as PlaidFacadeOptions;
}
