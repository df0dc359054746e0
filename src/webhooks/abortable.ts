/**
 * Waits for `work` until `signal` aborts: the returned promise settles as `work` does, or rejects
 * with the signal's reason as soon as it aborts (at once when it already has). `work` itself goes
 * on (a key fetch other webhooks wait for, a store write that began): only this caller stops
 * waiting. Its late failure is handled here, never left unhandled.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
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
