/**
 * The checks of every option and of every operation's input, as zod schemas: one rule per option.
 * `checkInput` turns a failed check into an `InvalidArgumentError` naming each bad field.
 */
import type { PlaidApi } from 'plaid';
import { InvalidArgumentError } from '../errors.js';
import type { PlaidFacadeEvent } from '../events.js';
import type { Logger } from '../observability/logger.js';
import type { DuplicateItemRule, RedisLike, WebhookKeyRedisClient } from '../options.js';
import { toIssues } from '../schemas/issues.js';
import { z } from '../schemas/zod.js';
import type { BalanceCache } from '../stores/balance-cache.js';
import { idProblem } from '../stores/ids.js';
import type { TokenStore } from '../stores/token-store.js';

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

/** See options.ts for what each option means. */
export const rateLimitSchema = z.union([
  z.literal(false),
  z
    .object({
      endpoints: z.record(z.string().startsWith('/'), limitSpec).optional(),
      perItem: z.record(z.string().startsWith('/'), limitSpec).optional(),
      maxQueued: z.number().int().min(0).optional(),
      maxWaitMs: z.union([z.number().int().min(0), z.literal(Number.POSITIVE_INFINITY)]).optional(),
      lanes: z
        .object({
          background: z
            .object({ maxShare: z.number().gt(0).max(1) })
            .strict()
            .optional(),
        })
        .strict()
        .optional(),
      redis: z
        .object({
          client: ioredisClient,
          prefix: nonBlank
            .refine((prefix) => !/[{}]/.test(prefix), {
              message: 'must not contain { or } (the limiter sets the Redis Cluster hash tags itself)',
            })
            .optional(),
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

const webhookKeyRedisClient = z.custom<WebhookKeyRedisClient>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'del'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must be a Redis client with get, set and del (ioredis Redis or Cluster)',
);

// A key fetch longer than Plaid's 10 s for the receiver's answer would lose the webhook anyway.
const webhooksSchema = z
  .object({
    keyCache: z
      .object({
        fetchTimeoutMs: positiveMs.max(10_000, 'must be at most 10000 (Plaid waits 10 s for an answer)').optional(),
        redis: z
          .object({ client: webhookKeyRedisClient, prefix: nonBlank.optional(), timeoutMs: positiveMs.optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** See options.ts for what each option means. */
export const facadeOptionsSchema = z
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
    balanceCacheTimeoutMs: positiveMs.optional(),
    onEvent: listener.optional(),
    plaidApi: z.custom<PlaidApi>((v) => typeof v === 'object' && v !== null, 'must be a PlaidApi instance').optional(),
    clientName: nonBlank.optional(),
    balanceCache: balanceCacheSchema.optional(),
    singleFlight: z.boolean().optional(),
    maxBalanceAgeMs: z.union([z.literal(false), positiveMs]).optional(),
    duplicateItemRule: z
      .union([
        z.literal(false),
        z.custom<DuplicateItemRule>((value) => typeof value === 'function', 'must be false or a function'),
      ])
      .optional(),
    logger: loggerSchema.optional(),
    observability: z.object({ itemIds: z.boolean().optional() }).strict().optional(),
    webhooks: webhooksSchema.optional(),
  })
  .strict();

/** See options.ts for what each option means. */
export const callOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeoutMs: positiveMs.optional(),
    retry: retrySchema.optional(),
    lane: z.enum(['interactive', 'background']).optional(),
  })
  .strict()
  .optional();

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

function isHttpUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
