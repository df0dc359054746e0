/**
 * Waits `ms` (at once when `ms` is 0 or less), or rejects with the signal's reason as soon as it
 * aborts: the pause between retries and between polls of a claimed exchange.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  // An 'abort' listener added to a signal already aborted never runs: such a wait ends at once.
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
