/** The Plaid paths the facade calls. */
export type PlaidEndpoint =
  | '/link/token/create'
  | '/item/public_token/exchange'
  | '/accounts/balance/get'
  | '/accounts/get'
  | '/item/remove'
  | '/item/products/terminate'
  | '/item/get'
  | '/webhook_verification_key/get'
  | '/signal/evaluate'
  | '/signal/decision/report'
  | '/signal/return/report'
  | '/link/token/get'
  | '/user/create';

interface EventBase {
  /** The call the attempt belongs to: the same id as its `call-start` and `call-end` events. */
  callId: string;
  /** The Plaid path of the call. */
  endpoint: PlaidEndpoint;
  /** Which attempt of the call, from 1. */
  attempt: number;
}

/** A call to Plaid starts (before its first attempt waits for the rate limiter). */
export interface CallStartEvent {
  /** Always `'call-start'`. */
  type: 'call-start';
  /** Unique per call; every event of the call carries it. */
  callId: string;
  /** The Plaid path of the call. */
  endpoint: PlaidEndpoint;
}

/** A call to Plaid is over: it succeeded, or failed after its last attempt. */
export interface CallEndEvent {
  /** Always `'call-end'`. */
  type: 'call-end';
  /** The id of the call's `call-start` event. */
  callId: string;
  /** The Plaid path of the call. */
  endpoint: PlaidEndpoint;
  /** Whether the call succeeded. */
  ok: boolean;
  /** How many attempts it made. */
  attempts: number;
  /** How long the whole call took, retries and rate-limit waits included, in milliseconds. */
  durationMs: number;
  /** How long its attempts waited for the client-side rate limiter, in all, in milliseconds. */
  waitedMs: number;
  /** Plaid's `request_id` of the last answer, when Plaid answered. */
  requestId: string | undefined;
  /** The HTTP status of the last answer, when Plaid answered. */
  status: number | undefined;
  /** The error's `code` when the call failed, e.g. `'ITEM_LOGIN_REQUIRED'`. */
  errorCode: string | undefined;
}

/** An attempt is about to be sent. */
export interface RequestEvent extends EventBase {
  /** Always `'request'`. */
  type: 'request';
}

/** Plaid answered an attempt with a 2xx. */
export interface ResponseEvent extends EventBase {
  /** Always `'response'`. */
  type: 'response';
  /** The HTTP status of the answer. */
  status: number;
  /** How long the attempt took, in milliseconds. */
  durationMs: number;
  /** Plaid's `request_id`, when the body had one. */
  requestId: string | undefined;
}

/** An attempt failed with a transient failure and will be tried again after `delayMs`. */
export interface RetryEvent extends EventBase {
  /** Always `'retry'`. */
  type: 'retry';
  /** How long the facade waits before the next attempt, in milliseconds. */
  delayMs: number;
  /** The `code` of the failure, e.g. `'INTERNAL_SERVER_ERROR'` or `'TIMEOUT'`. */
  errorCode: string;
  /** The HTTP status of the failed attempt, when Plaid answered. */
  status: number | undefined;
  /** Plaid's `request_id` of the failed attempt, when Plaid answered. */
  requestId: string | undefined;
}

/** An attempt failed; `retrying` says whether another attempt follows. */
export interface ErrorEvent extends EventBase {
  /** Always `'error'`. */
  type: 'error';
  /** How long the attempt took, in milliseconds. */
  durationMs: number;
  /** The error's class name, e.g. `'PlaidApiError'`. */
  errorName: string;
  /** The error's `code`, e.g. `'ITEM_LOGIN_REQUIRED'` or `'TIMEOUT'`. */
  errorCode: string;
  /** The HTTP status, when Plaid answered. */
  status: number | undefined;
  /** Plaid's `request_id`, when Plaid answered. */
  requestId: string | undefined;
  /** Whether another attempt follows (a `retry` event comes with it). */
  retrying: boolean;
}

/** A call waited for the client-side rate limiter, or Plaid said the limit was exceeded. */
export interface RateLimitedEvent {
  /** Always `'rate-limited'`. */
  type: 'rate-limited';
  /** The call that waited or was answered 429. */
  callId: string | undefined;
  /** The Plaid path of the call. */
  endpoint: PlaidEndpoint;
  /** `'queued'`: waited its turn here; `'plaid'`: Plaid answered 429 and the limiter slowed down. */
  reason: 'queued' | 'plaid';
  /** Whether the limit concerned is the per-Item one. */
  perItem: boolean;
  /** How long the call waited, in milliseconds (for `'queued'`). */
  waitedMs?: number;
}

/**
 * A call Plaid bills for: a successful live balance read (`/accounts/balance/get`). Sent once per
 * call, however many identical reads shared it; never for a read served from the balance cache, nor
 * for `/accounts/get`. Count these to know what your reads cost. The same fact is published on the
 * `plaid-facade:balance-billed` diagnostics channel (see docs/balances.md).
 */
export interface BilledEvent {
  /** Always `'billed'`. */
  type: 'billed';
  /** The billed path: `'/accounts/balance/get'`. */
  endpoint: PlaidEndpoint;
  /** Plaid's `request_id` of the billed answer. */
  requestId: string;
}

/**
 * What became of the access token of an exchange Plaid carried out: kept in the token store
 * (`'saved'`), or, the store failing, its Item removed at Plaid (`'removed'`) or not even that
 * (`'orphaned'`: remove it from the Plaid Dashboard). Sent for every exchange Plaid answered; it
 * is how a caller that aborted learns the outcome, as the facade finishes in the background.
 */
export interface ExchangeSettledEvent {
  /** Always `'exchange-settled'`. */
  type: 'exchange-settled';
  /** Always `'/item/public_token/exchange'`. */
  endpoint: '/item/public_token/exchange';
  /** The new Item. */
  itemId: string;
  /** What became of its access token. */
  outcome: 'saved' | 'removed' | 'orphaned';
}

/**
 * A balance-cache call failed or did not answer within `balanceCacheTimeoutMs`. A failed read
 * (`operation: 'get'`) counted as a miss: the balance was read live. A failed write (`'set'`) was
 * dropped: the next read with `maxAgeMs` reads live again. The call itself is never failed by it.
 */
export interface BalanceCacheFailedEvent {
  /** Always `'balance-cache-failed'`. */
  type: 'balance-cache-failed';
  /** Always `'/accounts/balance/get'`. */
  endpoint: '/accounts/balance/get';
  /** Which cache call failed. */
  operation: 'get' | 'set';
  /** `'timeout'`: no answer within `balanceCacheTimeoutMs`; `'error'`: the cache threw or rejected. */
  reason: 'timeout' | 'error';
}

/**
 * A record the token store may still hold for an Item that is removed at Plaid (an exchange's
 * write that failed or timed out may land later) was reconciled: deleted after every write of the
 * exchange had settled (`outcome: 'deleted'`); deleted while a write still hung (`'write-pending'`:
 * the facade deletes again when that write settles, while it is open); or not deleted after its
 * attempts (`'failed'`: delete it with `removeItem`, or from the store). This facade never serves or
 * lists such a record, nor counts it as a duplicate.
 */
export interface RecordReconciledEvent {
  /** Always `'record-reconciled'`. */
  type: 'record-reconciled';
  /** Always `'/item/public_token/exchange'`: the exchange whose write is reconciled. */
  endpoint: '/item/public_token/exchange';
  /** The removed Item. */
  itemId: string;
  /** Whether the record is known to be gone. */
  outcome: 'deleted' | 'write-pending' | 'failed';
  /** How many deletes were sent. */
  attempts: number;
}

/**
 * Everything `onEvent` receives: a call's `call-start`, its attempts' events, then its `call-end`,
 * all with the same `callId`. No event carries a secret or an access token.
 */
export type PlaidFacadeEvent =
  | CallStartEvent
  | CallEndEvent
  | RequestEvent
  | ResponseEvent
  | RetryEvent
  | ErrorEvent
  | RateLimitedEvent
  | BilledEvent
  | ExchangeSettledEvent
  | BalanceCacheFailedEvent
  | RecordReconciledEvent;

/**
 * Wraps a user's listener so that it can never affect a call: an exception it throws, or a
 * promise it returns that rejects, is swallowed.
 */
export function safeEmitter(
  listener: ((event: PlaidFacadeEvent) => void) | undefined,
): (event: PlaidFacadeEvent) => void {
  if (!listener) return () => {};
  return (event) => {
    try {
      const result: unknown = listener(event);
      // an async listener's rejection would otherwise be unhandled (and end the process)
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // ignored on purpose
    }
  };
}
