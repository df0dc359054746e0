import type { Counter, Gauge, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';

/**
 * The instruments of the facade. Names, units and attribute names follow OpenTelemetry's semantic
 * conventions where one applies (durations in seconds, `error.type`, `{unit}` annotations for
 * counts, `pending_requests` as for database connection pools); the rest sit under `plaid.`.
 */
export interface FacadeInstruments {
  /** `plaid.client.call.duration` (s): a whole facade call, retries and rate-limit waits included. */
  callDuration: Histogram;
  /** `plaid.client.retries` ({retry}): retried attempts, by `plaid.retry.reason` (the failure's code). */
  retries: Counter;
  /** `plaid.client.rate_limit.wait.duration` (s): how long an attempt waited for the client-side limiter. */
  rateLimitWait: Histogram;
  /** `plaid.client.rate_limit.pending_requests` ({request}): attempts waiting in the limiter now. */
  pendingRequests: UpDownCounter;
  /** `plaid.client.retry_budget.tokens` ({token}): tokens left in a facade's retry budget. */
  retryBudgetTokens: Gauge;
  /** `plaid.client.balance.billed_calls` ({call}): balance reads Plaid bills for. */
  billedBalanceCalls: Counter;
  /** `plaid.webhook.verifications` ({verification}): webhook verifications, by `plaid.webhook.result`. */
  webhookVerifications: Counter;
}

/** Bucket bounds for call durations: the HTTP client ones, and on to a minute (balance calls may take 30 s and more). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30, 60];
/** Rate-limit waits are mostly zero, then up to a window (a minute for per-Item balance limits). */
const WAIT_BUCKETS = [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Creates the facade's instruments on `meter`. */
export function createInstruments(meter: Meter): FacadeInstruments {
  return {
    callDuration: meter.createHistogram('plaid.client.call.duration', {
      description: 'Duration of plaid-facade calls, retries and rate-limit waits included.',
      unit: 's',
      advice: { explicitBucketBoundaries: CALL_BUCKETS },
    }),
    retries: meter.createCounter('plaid.client.retries', {
      description: 'Attempts of plaid-facade calls that failed transiently and were tried again.',
      unit: '{retry}',
    }),
    rateLimitWait: meter.createHistogram('plaid.client.rate_limit.wait.duration', {
      description: "Time an attempt waited for plaid-facade's client-side rate limiter.",
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    }),
    pendingRequests: meter.createUpDownCounter('plaid.client.rate_limit.pending_requests', {
      description: "Attempts waiting for plaid-facade's client-side rate limiter.",
      unit: '{request}',
    }),
    retryBudgetTokens: meter.createGauge('plaid.client.retry_budget.tokens', {
      description:
        'Tokens left in a plaid-facade retry budget (each retry spends some; when empty, failures surface at once).',
      unit: '{token}',
    }),
    billedBalanceCalls: meter.createCounter('plaid.client.balance.billed_calls', {
      description: 'Balance reads Plaid bills for (live /accounts/balance/get calls).',
      unit: '{call}',
    }),
    webhookVerifications: meter.createCounter('plaid.webhook.verifications', {
      description: 'Plaid webhook verifications, by result.',
      unit: '{verification}',
    }),
  };
}
