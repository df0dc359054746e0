/** A per-attempt deadline joined with the caller's signal. */
export interface AttemptSignal {
  /** Aborts when the caller aborts or the attempt's time is up. Give it to the HTTP client. */
  signal: AbortSignal;
  /** True once the deadline (not the caller) aborted the attempt. */
  timedOut(): boolean;
  /**
   * Settles like `promise`, or rejects with the signal's reason as soon as it aborts (a client
   * that ignores the signal cannot hold the attempt past its deadline).
   */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Clears the timer; call when the attempt settles. */
  dispose(): void;
}

/**
 * Starts the clock of one attempt. Own timer rather than `AbortSignal.timeout`, so the facade can
 * tell its own deadline from the caller's abort and clear the timer as soon as the attempt ends.
 * `race` is told of an abort directly by the two places that abort, rather than through a
 * listener on the signal (adding and removing one costs more than the rest of the deadline).
 */
export function startAttemptTimeout(timeoutMs: number, callerSignal?: AbortSignal): AttemptSignal {
  const controller = new AbortController();
  let expired = false;
  let onAbort: ((reason: unknown) => void) | undefined;
  const abort = (reason: unknown) => {
    controller.abort(reason);
    onAbort?.(controller.signal.reason);
  };
  const timer = setTimeout(() => {
    expired = true;
    abort(new Error(`attempt timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onCallerAbort = () => abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    race<T>(promise: Promise<T>): Promise<T> {
      const { signal } = controller;
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        onAbort = reject;
        promise.then(
          (value) => {
            onAbort = undefined;
            resolve(value);
          },
          (error: unknown) => {
            onAbort = undefined;
            reject(error);
          },
        );
      });
    },
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
