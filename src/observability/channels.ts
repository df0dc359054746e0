import diagnostics from 'node:diagnostics_channel';

/**
 * The `node:diagnostics_channel` names the facade publishes on. Channels are looked up by name in a
 * registry global to the process, so a subscriber (an APM agent, `plaid-facade/otel`, a test) sees
 * the messages of every copy of the library loaded in it: ESM and CJS builds, nested installs.
 * Every message is built from the fields below only: never a secret, an access token or a public
 * token; an Item id only when the facade's `observability.itemIds` option is true.
 */
export const channelNames = {
  /** TracingChannel: start / end / asyncStart / asyncEnd / error around every facade call. */
  call: 'plaid-facade:call',
  /** One message when an attempt of a call ends, answered or failed. */
  attempt: 'plaid-facade:attempt',
  /** An attempt starts or stops waiting for the client-side rate limiter. */
  rateLimit: 'plaid-facade:rate-limit',
  /** The retry budget after a call took or gave back tokens. */
  retryBudget: 'plaid-facade:retry-budget',
  /** A balance read that Plaid bills (published by the balances operation). */
  balanceBilled: 'plaid-facade:balance-billed',
  /** The outcome of one webhook verification (published by the webhooks module). */
  webhookVerification: 'plaid-facade:webhook-verification',
} as const;

/**
 * The context of a `plaid-facade:call` message. The same object travels through start, end,
 * asyncStart, asyncEnd and error; the facade updates it as the call goes, so by asyncEnd it holds
 * the whole call (and `error` for a failed call, which Node's TracingChannel adds).
 */
export interface CallMessage {
  /** Unique per call; attempt and rate-limit messages (and `onEvent` events) carry the same id. */
  callId: string;
  /** The Plaid path, as in events, e.g. `'/accounts/balance/get'`. */
  endpoint: string;
  /** The attempts made so far (0 at start); the total by asyncEnd. */
  attempt: number;
  /** Plaid's `request_id` of the last answer, when Plaid answered. */
  requestId?: string | undefined;
  /** The HTTP status of the last answer, when Plaid answered. */
  status?: number | undefined;
  /** The error's `code` when the call failed, e.g. `'ITEM_LOGIN_REQUIRED'` or `'TIMEOUT'`. */
  errorCode?: string | undefined;
  /** Milliseconds the call's attempts waited for the client-side rate limiter, in all. */
  waitedMs?: number | undefined;
  /** The Item concerned: present only when the facade was created with `observability: { itemIds: true }`. */
  itemId?: string | undefined;
  /** Set by Node's TracingChannel when the call failed. */
  error?: unknown;
  /** Set by Node's TracingChannel; always `undefined` here: Plaid's answers (tokens included) stay out of messages. */
  result?: unknown;
}

/** A `plaid-facade:attempt` message: one attempt of a call has ended. */
export interface AttemptMessage {
  callId: string;
  endpoint: string;
  /** Which attempt, from 1. */
  attempt: number;
  /** `'response'`: Plaid answered 2xx and the body was valid; `'error'`: the attempt failed. */
  outcome: 'response' | 'error';
  /** How long the attempt took (after its rate-limit wait), in milliseconds. */
  durationMs: number;
  status?: number | undefined;
  requestId?: string | undefined;
  /** The failure's `code`, for `'error'`. */
  errorCode?: string | undefined;
  /** For `'error'`: whether another attempt follows, after `delayMs`. */
  retrying?: boolean;
  delayMs?: number | undefined;
}

/** A `plaid-facade:rate-limit` message: an attempt enters (`'wait'`) or leaves (`'admitted'`, `'rejected'`) the limiter. */
export interface RateLimitMessage {
  callId: string;
  endpoint: string;
  attempt: number;
  phase: 'wait' | 'admitted' | 'rejected';
  /** For `'admitted'` and `'rejected'`: how long the attempt waited, in milliseconds. */
  waitedMs?: number;
}

/** A `plaid-facade:retry-budget` message: the tokens left in one facade's retry budget. */
export interface RetryBudgetMessage {
  tokens: number;
  capacity: number;
}

/** A `plaid-facade:balance-billed` message: a balance read Plaid bills for (a live `/accounts/balance/get`). */
export interface BalanceBilledMessage {
  /** The call that was billed, as in call messages. */
  callId?: string | undefined;
  endpoint: string;
  /** Plaid's `request_id` of the billed call. */
  requestId?: string | undefined;
}

/** A `plaid-facade:webhook-verification` message: one webhook was verified, or refused. */
export interface WebhookVerificationMessage {
  /** `'verified'`, or the `WebhookVerificationError` code, e.g. `'WEBHOOK_SIGNATURE_INVALID'`. */
  result: string;
  /** The verified webhook's type and code (absent when verification failed). */
  webhookType?: string | undefined;
  webhookCode?: string | undefined;
}

/** The channels, created once per copy of the library (cheap: Node keeps one per name). */
export const callChannel = diagnostics.tracingChannel<unknown, CallMessage>(channelNames.call);
const attemptChannel = diagnostics.channel(channelNames.attempt);
const rateLimitChannel = diagnostics.channel(channelNames.rateLimit);
const retryBudgetChannel = diagnostics.channel(channelNames.retryBudget);
const balanceBilledChannel = diagnostics.channel(channelNames.balanceBilled);
const webhookVerificationChannel = diagnostics.channel(channelNames.webhookVerification);

/**
 * Whether anyone listens to `channel`. Each publisher checks it before building a message, so that
 * an unobserved facade pays one property read per step and allocates nothing.
 */
function listened(channel: diagnostics.Channel): boolean {
  return channel.hasSubscribers;
}

/** Publishes an attempt's end, if anyone listens. */
export function publishAttempt(build: () => AttemptMessage): void {
  if (listened(attemptChannel)) attemptChannel.publish(build());
}

/** Publishes a rate-limit wait's start or end, if anyone listens. */
export function publishRateLimit(build: () => RateLimitMessage): void {
  if (listened(rateLimitChannel)) rateLimitChannel.publish(build());
}

/** Publishes the retry budget's level, if anyone listens. */
export function publishRetryBudget(build: () => RetryBudgetMessage): void {
  if (listened(retryBudgetChannel)) retryBudgetChannel.publish(build());
}

/**
 * Publishes a billed balance read, if anyone listens. For the balances operation: call it once per
 * live `/accounts/balance/get` Plaid answered (not for reads served from the cache or shared).
 */
export function publishBalanceBilled(message: BalanceBilledMessage): void {
  if (listened(balanceBilledChannel)) balanceBilledChannel.publish(message);
}

/**
 * Publishes a webhook verification's outcome, if anyone listens. For the webhooks module: once per
 * `verify`, with `'verified'` or the `WebhookVerificationError` code. Never the body or the JWT.
 */
export function publishWebhookVerification(message: WebhookVerificationMessage): void {
  if (listened(webhookVerificationChannel)) webhookVerificationChannel.publish(message);
}
