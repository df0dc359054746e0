import type { LimitSpec, PlaidEnvironment } from '../options.js';

/*
 * Plaid's documented rate limits, the defaults of `rateLimit`, per environment.
 * `options/resolve.ts` merges the user's limits over them.
 */

/** One endpoint's limits: for the whole client and, where Plaid has one, per Item. */
export interface EndpointLimits {
  perEndpoint?: LimitSpec;
  perItem?: LimitSpec;
}

const perMinute = (limit: number): LimitSpec => ({ limit, intervalMs: 60_000 });

/*
 * Sources (checked 2026-11):
 * - https://plaid.com/docs/errors/rate-limit-exceeded/ — "Production rate limits" table:
 *   /accounts/balance/get 5 per minute per Item, 1,200 per minute per client;
 *   /item/remove 30 per minute per Item, 2,000 per minute per client.
 *   Same page, Sandbox: /accounts/balance/get 25 per minute per Item and 100 per minute per
 *   client. (The page's ACCOUNTS_BALANCE_GET_LIMIT entry also says 1,200 per client for Sandbox;
 *   we keep the lower figure, which cannot cause a 429.)
 * - Same page, ACCOUNTS_LIMIT: /accounts/get 15 per minute per Item and 15,000 per minute per
 *   client in Production; 100 per minute per Item and 5,000 per minute per client in Sandbox
 *   (checked 2026-12).
 * - Same page: /item/get 15 per minute per Item, 5,000 per minute per client (free; used to
 *   refresh an Item's health after missed webhooks).
 * - The page publishes nothing for /item/remove or /item/get in Sandbox: the production figures are used.
 * - Nothing is published for /webhook_verification_key/get; the webhooks' key cache fetches a key
 *   once per key id (and at most 10 a minute), so a loose 1,000 per minute only stops a runaway.
 * - The page publishes no limit for /link/token/create or /item/public_token/exchange, and says
 *   "Plaid default rate limits are set such that using the API as designed should typically not
 *   cause a rate limit to be encountered". Their defaults are loose (1,000 per minute per client,
 *   none per Item): they only stop a runaway loop. Set `rateLimit.endpoints` to change them.
 * - Plaid publishes no limit for /signal/evaluate (checked 2026-12). A Balance-only ruleset reads
 *   the balance live, as /accounts/balance/get does, so its defaults are that endpoint's figures
 *   (conservative: a limit we invent must not cause Plaid's 429s). /signal/decision/report and
 *   /signal/return/report are loose like /link/token/create: they only stop a runaway loop.
 * Plaid also says some customers have other limits: every figure can be overridden.
 */
const productionLimits: Readonly<Record<string, EndpointLimits>> = {
  '/accounts/balance/get': { perEndpoint: perMinute(1_200), perItem: perMinute(5) },
  '/item/remove': { perEndpoint: perMinute(2_000), perItem: perMinute(30) },
  '/accounts/get': { perEndpoint: perMinute(15_000), perItem: perMinute(15) },
  '/item/get': { perEndpoint: perMinute(5_000), perItem: perMinute(15) },
  '/webhook_verification_key/get': { perEndpoint: perMinute(1_000) },
  '/link/token/create': { perEndpoint: perMinute(1_000) },
  '/item/public_token/exchange': { perEndpoint: perMinute(1_000) },
  '/signal/evaluate': { perEndpoint: perMinute(1_200), perItem: perMinute(5) },
  '/signal/decision/report': { perEndpoint: perMinute(1_000) },
  '/signal/return/report': { perEndpoint: perMinute(1_000) },
  // Unpublished by Plaid, like the two above: loose, only against a runaway loop.
  '/link/token/get': { perEndpoint: perMinute(1_000) },
  '/user/create': { perEndpoint: perMinute(1_000) },
};

const sandboxLimits: Readonly<Record<string, EndpointLimits>> = {
  ...productionLimits,
  '/accounts/balance/get': { perEndpoint: perMinute(100), perItem: perMinute(25) },
  '/accounts/get': { perEndpoint: perMinute(5_000), perItem: perMinute(100) },
  '/signal/evaluate': { perEndpoint: perMinute(100), perItem: perMinute(25) },
};

/** Plaid's documented limits for an environment, by Plaid path. */
export function defaultLimits(environment: PlaidEnvironment): Readonly<Record<string, EndpointLimits>> {
  return environment === 'production' ? productionLimits : sandboxLimits;
}
