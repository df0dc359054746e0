import { z } from './schemas/zod.js';
import { InvalidArgumentError } from './errors.js';

/**
 * Validation of what callers pass in: facade options, call inputs and call options. Every problem
 * becomes an `InvalidArgumentError` before any request is sent. Messages name the field, never
 * its value, so a secret passed in the wrong place is not echoed.
 */

const nonBlank = z.string().trim().min(1, 'must be a non-empty string');
const url = z.string().refine(isHttpUrl, 'must be an absolute http(s) URL');
const positiveMs = z
  .number()
  .int('must be a whole number of milliseconds')
  .positive()
  .max(2 ** 31 - 1);
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');

const retrySchema = z.union([
  z.literal(false),
  z
    .object({
      retries: z.number().int().min(0).max(20).optional(),
      minDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
    })
    .strict()
    .refine((r) => r.minDelayMs === undefined || r.maxDelayMs === undefined || r.maxDelayMs >= r.minDelayMs, {
      message: 'maxDelayMs must be at least minDelayMs',
    }),
]);

const limitSpec = z.object({ limit: z.number().int().positive(), intervalMs: positiveMs }).strict();

const rateLimitSchema = z.union([
  z.literal(false),
  z
    .object({
      endpoints: z.record(z.string().startsWith('/'), limitSpec).optional(),
      perItem: z.record(z.string().startsWith('/'), limitSpec).optional(),
      maxQueued: z.number().int().min(0).optional(),
      redis: z
        .object({
          client: z.custom<object>((v) => typeof v === 'object' && v !== null, 'must be an ioredis client'),
          prefix: z.string().optional(),
          readyTimeoutMs: positiveMs.optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
]);

const tokenStore = z.custom<object>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'delete', 'list'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
  'must implement get, set, delete and list',
);

const facadeOptionsSchema = z
  .object({
    clientId: nonBlank,
    secret: nonBlank,
    environment: z.enum(['sandbox', 'production']).optional(),
    basePath: url.optional(),
    tokenStore: tokenStore.optional(),
    retry: retrySchema.optional(),
    rateLimit: rateLimitSchema.optional(),
    timeoutMs: positiveMs.optional(),
    onEvent: fn.optional(),
    plaidApi: z.custom<object>((v) => typeof v === 'object' && v !== null, 'must be a PlaidApi instance').optional(),
    clientName: nonBlank.optional(),
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

const linkTokenInputSchema = z
  .object({
    userId: nonBlank,
    products: z
      .array(nonBlank)
      .min(1)
      .refine((list) => !list.includes('balance'), {
        message: "'balance' is not an initial product: Plaid initialises Balance with any other product (e.g. 'auth')",
      })
      .optional(),
    countryCodes: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes, e.g. US'))
      .min(1)
      .optional(),
    language: nonBlank.optional(),
    clientName: nonBlank.max(30, 'must be at most 30 characters').optional(),
    webhook: url.optional(),
    redirectUri: url.optional(),
    itemId: nonBlank.optional(),
  })
  .strict();

const exchangeInputSchema = z.object({ userId: nonBlank, publicToken: nonBlank }).strict();

const balancesInputSchema = z
  .object({
    userId: nonBlank,
    itemId: nonBlank,
    accountIds: z.array(nonBlank).min(1, 'must list at least one account (omit it for all)').optional(),
    minLastUpdated: z
      .date()
      .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date')
      .optional(),
  })
  .strict();

const removeItemInputSchema = z.object({ userId: nonBlank, itemId: nonBlank }).strict();

/** Checks `createPlaidFacade`'s options. */
export const validateFacadeOptions = validator('createPlaidFacade options', facadeOptionsSchema);
/** Checks the per-call options. */
export const validateCallOptions = validator('call options', callOptionsSchema);
/** Checks `linkToken`'s input. */
export const validateLinkTokenInput = validator('linkToken input', linkTokenInputSchema);
/** Checks `exchange`'s input. */
export const validateExchangeInput = validator('exchange input', exchangeInputSchema);
/** Checks `getBalances`'s input. */
export const validateBalancesInput = validator('getBalances input', balancesInputSchema);
/** Checks `removeItem`'s input. */
export const validateRemoveItemInput = validator('removeItem input', removeItemInputSchema);

function validator(what: string, schema: z.ZodType) {
  return (value: unknown): void => {
    const result = schema.safeParse(value);
    if (result.success) return;
    throw new InvalidArgumentError(
      what,
      result.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: issue.code === 'unrecognized_keys' ? `unknown option(s): ${issue.keys.join(', ')}` : issue.message,
      })),
    );
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
