import { InvalidArgumentError, type Issue } from '../errors.js';
import type { PlaidEnvironment } from '../types.js';
import type { LimitSpec, RateLimitOptions } from './rate-limit-options.js';

/** One endpoint's limits: for the whole client and, where Plaid has one, per Item. */
export interface EndpointLimits {
  endpoint?: LimitSpec;
  perItem?: LimitSpec;
}

const minute = 60_000;
const perMinute = (limit: number): LimitSpec => ({ limit, intervalMs: minute });

/*
 * Sources (checked 2026-11):
 * - https://plaid.com/docs/errors/rate-limit-exceeded/ — "Production rate limits" table:
 *   /accounts/balance/get 5 per minute per Item, 1,200 per minute per client;
 *   /item/remove 30 per minute per Item, 2,000 per minute per client.
 *   Same page, Sandbox: /accounts/balance/get 25 per minute per Item and 100 per minute per
 *   client. (The page's ACCOUNTS_BALANCE_GET_LIMIT entry also says 1,200 per client for Sandbox;
 *   we keep the lower figure, which cannot cause a 429.)
 * - The page publishes nothing for /item/remove in Sandbox: the production figures are used.
 * - The page publishes no limit for /link/token/create or /item/public_token/exchange, and says
 *   "Plaid default rate limits are set such that using the API as designed should typically not
 *   cause a rate limit to be encountered". Their defaults are loose (1,000 per minute per client,
 *   none per Item): they only stop a runaway loop. Set `rateLimit.endpoints` to change them.
 * Plaid also says some customers have other limits: every figure can be overridden.
 */
const production: Record<string, EndpointLimits> = {
  '/accounts/balance/get': { endpoint: perMinute(1_200), perItem: perMinute(5) },
  '/item/remove': { endpoint: perMinute(2_000), perItem: perMinute(30) },
  '/link/token/create': { endpoint: perMinute(1_000) },
  '/item/public_token/exchange': { endpoint: perMinute(1_000) },
};

const sandbox: Record<string, EndpointLimits> = {
  ...production,
  '/accounts/balance/get': { endpoint: perMinute(100), perItem: perMinute(25) },
};

/** Plaid's documented limits for an environment, by Plaid path. */
export function defaultLimits(environment: PlaidEnvironment): Record<string, EndpointLimits> {
  return environment === 'production' ? production : sandbox;
}

/** Default of `RateLimitOptions.maxQueued`. */
export const defaultMaxQueued = 1_000;

/** The limits in force: the user's options merged over the environment's defaults, validated. */
export function resolveLimits(
  options: RateLimitOptions,
  environment: PlaidEnvironment,
): Record<string, EndpointLimits> {
  const issues: Issue[] = [];
  const resolved: Record<string, EndpointLimits> = {};
  for (const [path, limits] of Object.entries(defaultLimits(environment))) resolved[path] = { ...limits };
  for (const [path, spec] of Object.entries(options.endpoints ?? {})) {
    checkSpec(spec, ['endpoints', path], issues);
    resolved[path] = { ...resolved[path], endpoint: spec };
  }
  for (const [path, spec] of Object.entries(options.perItem ?? {})) {
    checkSpec(spec, ['perItem', path], issues);
    resolved[path] = { ...resolved[path], perItem: spec };
  }
  const maxQueued = options.maxQueued;
  if (maxQueued !== undefined && !(Number.isInteger(maxQueued) && maxQueued >= 0)) {
    issues.push({ path: ['maxQueued'], message: 'must be an integer >= 0' });
  }
  if (issues.length > 0) throw new InvalidArgumentError('rateLimit options', issues);
  return resolved;
}

function checkSpec(spec: LimitSpec, path: string[], issues: Issue[]): void {
  if (!(Number.isInteger(spec?.limit) && spec.limit >= 1)) {
    issues.push({ path: [...path, 'limit'], message: 'must be an integer >= 1' });
  }
  if (!(Number.isFinite(spec?.intervalMs) && spec.intervalMs > 0)) {
    issues.push({ path: [...path, 'intervalMs'], message: 'must be a number > 0' });
  }
}
