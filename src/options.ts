/**
 * The facade's options: their types, their checks and every default, resolved once. The pipeline
 * and the rate limiter receive only `ResolvedOptions` and `ResolvedCall`, already valid, and never
 * check an option again. One rule per option, here.
 */
import type { PlaidApi } from 'plaid';
import { InvalidArgumentError } from './errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from './events.js';
import { type Logger, resolveLogger } from './observability/logger.js';
import { explainOptionIssues } from './options/hints.js';
import {
  DEFAULT_MAX_QUEUED,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  defaultLimits,
  type EndpointLimits,
} from './options/plaid-limits.js';
import { toIssues } from './schemas/issues.js';
import { z } from './schemas/zod.js';
import type { BalanceCache } from './stores/balance-cache.js';
import { DEFAULT_TOKEN_STORE_TIMEOUT_MS } from './stores/bounded-call.js';
import { idProblem } from './stores/ids.js';
import type { StoredItem, TokenStore } from './stores/token-store.js';

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

/** At most `limit` calls started in any window of `intervalMs` (a sliding window, not a fixed one). */
export interface LimitSpec {
  /** How many calls may start in any window of `intervalMs`. A positive integer. */
  limit: number;
  /** The window, in milliseconds. A positive integer. */
  intervalMs: number;
}

/**
 * The subset of an ioredis client that rate limiting needs. Pass an ioredis `Redis` instance:
 * the shared limits run their Lua scripts through ioredis' `defineCommand`, on a duplicate of this
 * client (see `RateLimitOptions.redis`), never on the client itself.
 */
export interface RedisLike {
  /** Opens a new connection with the same options (ioredis' `duplicate`). */
  duplicate(override?: { lazyConnect?: boolean }): unknown;
  /** Defines a Lua script as a command (ioredis' `defineCommand`), which the shared limits run. */
  defineCommand(...args: never[]): unknown;
  /** The client's connection options, as ioredis keeps them. */
  options?: unknown;
}

/**
 * Where limits are shared between processes.
 * @inline
 */
export interface RateLimitRedisOptions {
  /**
   * An ioredis client. The limiter opens one connection of its own with `client.duplicate()` and
   * closes it in `close()`; your client is never used for commands nor closed.
   */
  client: RedisLike;
  /** Prefix of the Redis keys. Default `'plaid-facade'`. */
  prefix?: string | undefined;
  /**
   * The bound of every Redis operation of the limiter, waiting for the connection included, in
   * milliseconds. A call whose operation gets no answer in time fails with `RateLimiterError`
   * `RATE_LIMIT_REDIS_UNAVAILABLE` (retryable) instead of waiting; `close()` gives up on Redis
   * after it too. Default 1000.
   */
  timeoutMs?: number | undefined;
  /** @deprecated Use `timeoutMs`, which bounds every Redis operation; taken as `timeoutMs` when that is not set. */
  readyTimeoutMs?: number | undefined;
}

/** Client-side rate limiting. Defaults follow Plaid's documented limits for the environment. */
export interface RateLimitOptions {
  /** Limits for the whole client, by Plaid path, e.g. `'/accounts/balance/get'`. Merged over the defaults. */
  endpoints?: Record<string, LimitSpec> | undefined;
  /** Limits per Item (per access token), by Plaid path. Merged over the defaults. */
  perItem?: Record<string, LimitSpec> | undefined;
  /**
   * Calls that may wait per limit (the endpoint's, and each Item's, in this process). Only calls
   * that must wait count: a call that finds room always starts. A call that must wait when this
   * many already do fails at once with `RATE_LIMIT_QUEUE_FULL`; `0` means never wait. Default 1000.
   */
  maxQueued?: number | undefined;
  /** Share the limits between processes through Redis (ioredis). */
  redis?: RateLimitRedisOptions | undefined;
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
  /** Where access tokens are kept. Default: a new `MemoryTokenStore`. */
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
   * `maxAgeMs`). Default: a `MemoryBalanceCache` of 1,000 entries. `RedisBalanceCache`
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
   * cards and other non-depository accounts). Default: none, and Plaid answers `INVALID_FIELD` for
   * them. Other institutions' reads are never changed.
   */
  maxBalanceAgeMs?: number | undefined;
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
}

/** Options of what observing the facade (logs, the diagnostics channel, `plaid-facade/otel`) may see. */
export interface ObservabilityOptions {
  /**
   * Put the Item id in log lines, diagnostics-channel messages and spans (`plaid.item_id`).
   * Default `false`: an Item id points at one person's bank connection.
   */
  itemIds?: boolean | undefined;
}

/** What a new link is compared on: the institution and the accounts the user picked in Link. */
export interface LinkCandidate {
  /** Plaid's institution id from Link's metadata, or null when Link gave none. */
  institutionId: string | null;
  /** The accounts picked, by name and mask (never an account number). */
  accounts: ReadonlyArray<{
    /** The account's name, as Link showed it. */
    name: string;
    /** The last 2-4 characters of the account number Plaid has, or null. */
    mask: string | null;
  }>;
}

/** An Item the user already has, as a duplicate rule sees it (never its token). */
export type ExistingItem = Pick<StoredItem, 'itemId' | 'institutionId' | 'accounts'>;

/**
 * Decides whether a new link duplicates one of the user's Items: returns that Item's id, or
 * `undefined`. Runs before the public token is exchanged, so a duplicate is never created.
 */
export type DuplicateItemRule = (candidate: LinkCandidate, existing: readonly ExistingItem[]) => string | undefined;

/** Options of one call, overriding the facade's. */
export interface CallOptions {
  /** Cancels the call, at once, with no retry after it. */
  signal?: AbortSignal | undefined;
  /** Timeout of one attempt, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Retry for this call, or `false` for none. Fields it sets win over the facade's. */
  retry?: RetryOptions | false | undefined;
}

/** Default timeout of one attempt of link-token, exchange and Item-removal calls. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default timeout of one attempt of a balance call: Plaid reads the bank live, sometimes for over 30 s. */
export const DEFAULT_BALANCE_TIMEOUT_MS = 60_000;

/** Retry options with every default filled in. */
export interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** The documented defaults of `RetryOptions`. */
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({ retries: 3, minDelayMs: 250, maxDelayMs: 8000 });

/** Plaid's base URLs (the same as the official client's `PlaidEnvironments`). */
export const PLAID_BASE_URLS: Readonly<Record<PlaidEnvironment, string>> = Object.freeze({
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
});

// Plaid's documented limits (the defaults of `rateLimit`) live in options/plaid-limits.ts.
export {
  DEFAULT_MAX_QUEUED,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  defaultLimits,
  type EndpointLimits,
} from './options/plaid-limits.js';

/** Rate limiting as the limiter receives it: the limits in force, every default filled in. */
export interface ResolvedRateLimit {
  limits: Record<string, EndpointLimits>;
  maxQueued: number;
  redis: { client: RedisLike; prefix: string; timeoutMs: number } | undefined;
}

/** `createPlaidFacade`'s options, checked, with every default filled in. */
export interface ResolvedOptions {
  clientId: string;
  secret: string;
  environment: PlaidEnvironment;
  /** Without a trailing `/`. */
  basePath: string;
  tokenStore: TokenStore | undefined;
  retry: ResolvedRetry;
  /** The facade's own `retry` option, over which a call's is merged field by field. */
  retryOption: RetryOptions | false | undefined;
  rateLimit: ResolvedRateLimit | false;
  timeoutMs: number | undefined;
  tokenStoreTimeoutMs: number;
  onEvent: ((event: PlaidFacadeEvent) => void) | undefined;
  plaidApi: PlaidApi | undefined;
  clientName: string;
  /** The balance cache given; the facade makes its default one when this is undefined. */
  balanceCache: BalanceCache | undefined;
  singleFlight: boolean;
  maxBalanceAgeMs: number | undefined;
  /** `undefined`: Plaid's rule (the facade's default). */
  duplicateItemRule: DuplicateItemRule | false | undefined;
  /** The `logger` option, else the stderr logger `PLAID_FACADE_LOG` asks for, else none. */
  logger: Logger | undefined;
  /** Whether Item ids may appear in logs, channel messages and spans. */
  itemIdsObserved: boolean;
}

/** One call's options, resolved over the facade's. */
export interface ResolvedCall {
  timeoutMs: number;
  retry: ResolvedRetry;
  signal: AbortSignal | undefined;
}

/** The largest delay a Node timer honours (longer ones fire after 1 ms, with a warning). */
const maxTimerMs = 2 ** 31 - 1;

/** A string with something in it. */
export const nonBlank = z.string().trim().min(1, 'must be a non-empty string');

/**
 * A user, Item or account id: the one rule every shipped store keeps exactly (`idProblem`:
 * well-formed Unicode, no control characters, at most `MAX_ID_LENGTH`), checked before any
 * request so that a bad id cannot burn a public token on a write that must fail.
 */
export const idSchema = z.string().superRefine((value, context) => {
  const problem = idProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** A public token, as Link hands it over: not blank, and not absurdly long. */
export const publicTokenSchema = nonBlank.max(1_024, 'must be at most 1024 characters');
/** An absolute http(s) URL. */
export const httpUrl = z.string().refine(isHttpUrl, 'must be an absolute http(s) URL');
const positiveMs = z.number().int('must be a whole number of milliseconds').positive().max(maxTimerMs);
const delayMs = z.number().int('must be a whole number of milliseconds').min(0).max(maxTimerMs);
const listener = z.custom<(event: PlaidFacadeEvent) => void>(
  (value) => typeof value === 'function',
  'must be a function',
);
// Sent as the PLAID-CLIENT-ID and PLAID-SECRET headers: a value a header cannot carry intact
// (CR, LF, NUL, other controls, characters beyond Latin-1) would be mangled or refused by the
// HTTP client, so it is refused here, by name and never by value.
// White space at either end is refused too: HTTP trims it, so it would not arrive intact.
const headerValue = (max: number) =>
  z
    .string()
    .min(1, 'must be a non-empty string')
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => /^[\x20-\x7e\xa0-\xff]+$/.test(value),
      'must contain only printable characters that an HTTP header can carry (no CR, LF, NUL or non-Latin-1)',
    )
    .refine((value) => value.trim() === value, 'must not start or end with white space');

const retrySchema = z.union([
  z.literal(false),
  z
    .object({
      retries: z.number().int().min(0).max(20).optional(),
      minDelayMs: delayMs.optional(),
      maxDelayMs: delayMs.optional(),
    })
    .strict()
    .refine((r) => r.minDelayMs === undefined || r.maxDelayMs === undefined || r.maxDelayMs >= r.minDelayMs, {
      message: 'maxDelayMs must be at least minDelayMs',
    }),
]);

const limitSpec = z
  .object({ limit: z.number().int('must be a whole number').positive(), intervalMs: positiveMs })
  .strict();

const ioredisClient = z.custom<RedisLike>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RedisLike).duplicate === 'function' &&
    typeof (value as RedisLike).defineCommand === 'function',
  // node-redis 4+ also has duplicate(), but not ioredis' defineCommand, which runs the Lua scripts
  'must be an ioredis client (the shared limits run their Lua scripts through ioredis)',
);

const rateLimitSchema = z.union([
  z.literal(false),
  z
    .object({
      endpoints: z.record(z.string().startsWith('/'), limitSpec).optional(),
      perItem: z.record(z.string().startsWith('/'), limitSpec).optional(),
      maxQueued: z.number().int().min(0).optional(),
      redis: z
        .object({
          client: ioredisClient,
          prefix: nonBlank.optional(),
          timeoutMs: positiveMs.optional(),
          readyTimeoutMs: positiveMs.optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
]);

const tokenStoreSchema = z.custom<TokenStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'delete', 'list'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must implement get, set, delete and list',
);

const balanceCacheSchema = z.custom<BalanceCache>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must implement get and set',
);

const loggerSchema = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must have debug, info, warn and error methods (pino, bunyan and console do)',
);

const facadeOptionsSchema = z
  .object({
    clientId: headerValue(256),
    secret: headerValue(1_024),
    environment: z.enum(['sandbox', 'production']),
    basePath: httpUrl.optional(),
    tokenStore: tokenStoreSchema.optional(),
    retry: retrySchema.optional(),
    rateLimit: rateLimitSchema.optional(),
    timeoutMs: positiveMs.optional(),
    tokenStoreTimeoutMs: positiveMs.optional(),
    onEvent: listener.optional(),
    plaidApi: z.custom<PlaidApi>((v) => typeof v === 'object' && v !== null, 'must be a PlaidApi instance').optional(),
    clientName: nonBlank.optional(),
    balanceCache: balanceCacheSchema.optional(),
    singleFlight: z.boolean().optional(),
    maxBalanceAgeMs: positiveMs.optional(),
    duplicateItemRule: z
      .union([
        z.literal(false),
        z.custom<DuplicateItemRule>((value) => typeof value === 'function', 'must be false or a function'),
      ])
      .optional(),
    logger: loggerSchema.optional(),
    observability: z.object({ itemIds: z.boolean().optional() }).strict().optional(),
  })
  .strict();

const callOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeoutMs: positiveMs.optional(),
    retry: retrySchema.optional(),
  })
  .strict()
  .optional();

/** The environment variables credentials fall back to, by option. */
const environmentVariables = { clientId: 'PLAID_CLIENT_ID', secret: 'PLAID_SECRET', environment: 'PLAID_ENV' } as const;

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
    environment: given.environment ?? fromEnv('environment') ?? 'sandbox',
  };
  const result = facadeOptionsSchema.safeParse(candidate);
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
  return {
    clientId: valid.clientId,
    secret: valid.secret,
    environment: valid.environment,
    basePath: (valid.basePath ?? PLAID_BASE_URLS[valid.environment]).replace(/\/+$/, ''),
    tokenStore: valid.tokenStore,
    retry: resolveRetry(valid.retry),
    retryOption: valid.retry,
    rateLimit: valid.rateLimit === false ? false : resolveRateLimit(valid.rateLimit ?? {}, valid.environment),
    timeoutMs: valid.timeoutMs,
    tokenStoreTimeoutMs: valid.tokenStoreTimeoutMs ?? DEFAULT_TOKEN_STORE_TIMEOUT_MS,
    onEvent: valid.onEvent,
    plaidApi: valid.plaidApi,
    clientName: valid.clientName ?? 'plaid-facade',
    balanceCache: valid.balanceCache,
    singleFlight: valid.singleFlight ?? true,
    maxBalanceAgeMs: valid.maxBalanceAgeMs,
    duplicateItemRule: valid.duplicateItemRule,
    logger: resolveLogger(valid.logger, env),
    itemIdsObserved: valid.observability?.itemIds === true,
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
    timeoutMs:
      call?.timeoutMs ??
      options.timeoutMs ??
      (endpoint === '/accounts/balance/get' ? DEFAULT_BALANCE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
    retry: call?.retry === undefined ? options.retry : resolveRetry(mergeRetry(options.retryOption, call.retry)),
    signal: call?.signal,
  };
}

/** Checks `value` against `schema`, or throws `InvalidArgumentError` for `what` (e.g. `'exchange input'`). */
export function checkInput<Schema extends z.ZodType>(what: string, schema: Schema, value: unknown): z.output<Schema> {
  let result: ReturnType<Schema['safeParse']>;
  try {
    result = schema.safeParse(value) as ReturnType<Schema['safeParse']>;
  } catch {
    // A getter or a Proxy that throws: the value cannot be read. Its error is not kept (it may
    // quote a secret, a vault's answer say).
    throw new InvalidArgumentError(what, [{ path: [], message: 'could not be read (a getter or proxy threw)' }]);
  }
  if (result.success) return result.data;
  const issues = toIssues(result.error.issues);
  if (value === null || typeof value !== 'object') {
    // Called with nothing, or with a bare id (plaid.linkToken('user-42')): say what is expected.
    const fields = requiredFields(schema);
    const expected = fields.length > 0 ? `an object with ${fields.join(', ')}` : 'an object';
    const message =
      value === undefined
        ? `${what} is required: ${expected}`
        : `${what} must be ${expected}; got ${value === null ? 'null' : `a ${typeof value}`}`;
    issues.splice(0, issues.length, { path: [], message });
  }
  throw new InvalidArgumentError(what, issues);
}

/** The required keys of an object schema (seen through refinements and `.optional()`), for messages. */
function requiredFields(schema: z.ZodType): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodEffects || inner instanceof z.ZodOptional) {
    inner = inner instanceof z.ZodEffects ? inner.innerType() : inner.unwrap();
  }
  if (!(inner instanceof z.ZodObject)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  return Object.keys(shape).filter((key) => !shape[key]?.isOptional());
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
    limits[path] = { ...limits[path], endpoint: spec };
  for (const [path, spec] of Object.entries(options.perItem ?? {})) limits[path] = { ...limits[path], perItem: spec };
  const redis = options.redis;
  return {
    limits,
    maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
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
function readOptions(options: PlaidFacadeOptions | undefined): PlaidFacadeOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createPlaidFacade options', [{ path: [], message: 'must be an object' }]);
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
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

function isHttpUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
