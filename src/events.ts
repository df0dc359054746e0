/** The Plaid paths the facade calls. */
export type PlaidEndpoint =
  | '/link/token/create'
  | '/item/public_token/exchange'
  | '/accounts/balance/get'
  | '/item/remove';

interface EventBase {
  /** The Plaid path of the call. */
  endpoint: PlaidEndpoint;
  /** Which attempt of the call, from 1. */
  attempt: number;
}

/** An attempt is about to be sent. */
export interface RequestEvent extends EventBase {
  type: 'request';
}

/** Plaid answered an attempt with a 2xx. */
export interface ResponseEvent extends EventBase {
  type: 'response';
  status: number;
  durationMs: number;
  requestId: string | undefined;
}

/** An attempt failed with a transient failure and will be tried again after `delayMs`. */
export interface RetryEvent extends EventBase {
  type: 'retry';
  delayMs: number;
  /** The `code` of the failure, e.g. `'INTERNAL_SERVER_ERROR'` or `'TIMEOUT'`. */
  errorCode: string;
  status: number | undefined;
  requestId: string | undefined;
}

/** An attempt failed; `retrying` says whether another attempt follows. */
export interface ErrorEvent extends EventBase {
  type: 'error';
  durationMs: number;
  /** The error's class name, e.g. `'PlaidApiError'`. */
  errorName: string;
  errorCode: string;
  status: number | undefined;
  requestId: string | undefined;
  retrying: boolean;
}

/** A call waited for the client-side rate limiter, or Plaid said the limit was exceeded. */
export interface RateLimitedEvent {
  type: 'rate-limited';
  endpoint: PlaidEndpoint;
  /** `'queued'`: waited its turn here; `'plaid'`: Plaid answered 429 and the limiter slowed down. */
  reason: 'queued' | 'plaid';
  /** Whether the limit concerned is the per-Item one. */
  perItem: boolean;
  /** How long the call waited, in milliseconds (for `'queued'`). */
  waitedMs?: number;
}

/** Everything `onEvent` receives. No event carries a secret or an access token. */
export type PlaidFacadeEvent = RequestEvent | ResponseEvent | RetryEvent | ErrorEvent | RateLimitedEvent;
