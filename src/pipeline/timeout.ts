/** A per-attempt deadline joined with the caller's signal. */
export interface AttemptSignal {
  /** Aborts when the caller aborts or the attempt's time is up. Give it to the HTTP client. */
  signal: AbortSignal;
  /** True once the deadline (not the caller) aborted the attempt. */
  timedOut(): boolean;
  /** Clears the timer; call when the attempt settles. */
  dispose(): void;
}

/**
 * Starts the clock of one attempt. Own timer rather than `AbortSignal.timeout`, so the facade can
 * tell its own deadline from the caller's abort and clear the timer as soon as the attempt ends.
 */
export function startAttemptTimeout(timeoutMs: number, callerSignal?: AbortSignal): AttemptSignal {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`attempt timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Rejects with the signal's reason as soon as it aborts; otherwise settles like `promise`. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
