import { TokenStoreError } from '../errors.js';

/** Default bound of one token-store call (`tokenStoreTimeoutMs`), in milliseconds. */
export const DEFAULT_TOKEN_STORE_TIMEOUT_MS = 5_000;

/**
 * Runs one token-store operation with a bound: when it has not settled after `timeoutMs`, the
 * returned promise rejects with a `TokenStoreError` (code `TOKEN_STORE_TIMEOUT`) and the store's
 * late answer, if it ever comes, is ignored. A store whose connection hangs (a stopped database, a
 * client that queues commands while it reconnects) then counts as failed instead of holding the
 * caller, and the facade can go on to what failure calls for (retry, remove the Item at Plaid).
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
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new TokenStoreError(`${what}: the token store did not answer within ${timeoutMs} ms`, {
          code: 'TOKEN_STORE_TIMEOUT',
          retryable: true,
          ...(itemId === undefined ? {} : { itemId }),
        }),
      );
    }, timeoutMs);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(operation());
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
