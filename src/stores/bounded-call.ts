import { TokenStoreError } from '../errors.js';

/** How `boundedCall` bounds one call to shared state. */
export interface CallBound {
  /** The longest the call may take, in milliseconds. */
  timeoutMs: number;
  /** The caller's signal: when it aborts, the call rejects at once with its reason. */
  signal?: AbortSignal | undefined;
  /** The error to reject with when `timeoutMs` passes first. */
  timeoutError: () => Error;
}

/**
 * The one way the facade calls shared state (token store, balance cache): the returned promise
 * settles like `operation()`, unless `timeoutMs` passes first (it rejects with `timeoutError()`)
 * or the caller's `signal` aborts first (it rejects with the signal's reason). The operation's
 * late answer, if it ever comes, is ignored, and its late failure is handled (never unhandled).
 * A store or cache whose connection hangs (a frozen server, a client that queues commands while it
 * reconnects) then costs at most its bound, never the caller's call.
 *
 * What a late answer means is the caller's business: a read that timed out is simply not used; a
 * write that timed out may still land later (see the exchange's reconciliation, `reconcile.ts`).
 */
export function boundedCall<T>(operation: () => Promise<T>, bound: CallBound): Promise<T> {
  const { signal } = bound;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(operation());
  } catch (error) {
    pending = Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      finish();
      reject(bound.timeoutError());
    }, bound.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}

/**
 * Runs one token-store operation with `boundedCall`: when it has not settled after `timeoutMs`,
 * the returned promise rejects with a `TokenStoreError` (code `TOKEN_STORE_TIMEOUT`), and when the
 * caller's `signal` aborts, with its reason. A store that hangs then counts as failed instead of
 * holding the caller, and the facade can go on to what failure calls for (retry, remove the Item
 * at Plaid).
 *
 * The error is `retryable`, as a dropped connection is (`TOKEN_STORE_ERROR`): the same operation
 * may work once the store answers again, and a call that timed out reading its Item (balances,
 * update mode, removal, listing) can simply be made again. The one write that cannot be, an
 * exchange's, never surfaces it: the exchange retries the write, then reports
 * `TOKEN_STORE_WRITE_FAILED` (`retryable: false`: the public token is used up, link again).
 */
export function boundedStoreCall<T>(
  what: string,
  timeoutMs: number,
  operation: () => Promise<T>,
  itemId?: string,
  signal?: AbortSignal,
): Promise<T> {
  return boundedCall(operation, {
    timeoutMs,
    signal,
    timeoutError: () =>
      new TokenStoreError(`${what}: the token store did not answer within ${timeoutMs} ms`, {
        code: 'TOKEN_STORE_TIMEOUT', // retryable: its rule in errors/retryable.ts
        ...(itemId === undefined ? {} : { itemId }),
      }),
  });
}
