/** How one caller waits for a shared call. */
export interface WaitOptions {
  /** Ends this caller's wait (with the signal's reason); the shared call goes on for the others. */
  signal?: AbortSignal | undefined;
  /**
   * Bounds the wait of a caller that joins a call another caller started, from the moment it joins.
   * The caller that starts the call has its own timeout inside the call (per attempt), so this is
   * not applied to it.
   */
  joinTimeoutMs?: number | undefined;
  /** The error a joined caller gets when `joinTimeoutMs` runs out. */
  timeoutError?: ((timeoutMs: number) => Error) | undefined;
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/**
 * Runs at most one call per key at a time: a caller asking for a key whose call is under way waits
 * for that call's outcome instead of starting its own. Each caller's wait ends at its own signal
 * (and, for a caller that joined, its own timeout) without touching the shared call; the shared
 * call is aborted only when every caller has stopped waiting for it. Nothing is kept once a call
 * settles: a failure is never handed to a caller who asks after it.
 *
 * @example
 * const flights = new SingleFlight<Balances>();
 * const read = (signal?: AbortSignal) => flights.run('u1:item-1', (shared) => fetchBalances(shared), { signal });
 * await Promise.all([read(), read()]); // one fetch
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();
  readonly #copy: (value: T) => T;

  /**
   * @param copy gives each caller that joined a call its own copy of the outcome, so that callers
   *   cannot change each other's results; the caller that started the call gets the original (a
   *   lone call pays nothing for it). Default: the same value for all.
   */
  constructor(copy: (value: T) => T = (value) => value) {
    this.#copy = copy;
  }

  /** How many calls are under way. */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * The outcome of the call under way for `key`, or of a new one started with `start`. `start`
   * receives the shared call's signal, which aborts only once nobody waits any longer.
   * `onJoin` is called when this caller joins a call already under way.
   */
  run(
    key: string,
    start: (signal: AbortSignal) => Promise<T>,
    options: WaitOptions = {},
    onJoin?: () => void,
  ): Promise<T> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    let flight = this.#flights.get(key);
    const joined = flight !== undefined;
    if (!flight) flight = this.#start(key, start);
    else onJoin?.();
    flight.waiters += 1;
    return this.#wait(key, flight, options, joined);
  }

  #start(key: string, start: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    // Started on the next line, so `flight` exists before `start` can settle synchronously.
    const flight: Flight<T> = {
      controller,
      waiters: 0,
      settled: false,
      promise: Promise.resolve().then(() => start(controller.signal)),
    };
    const forget = () => {
      flight.settled = true;
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    // Nobody may be waiting when it settles (all aborted): its rejection is handled here.
    flight.promise.then(forget, forget);
    this.#flights.set(key, flight);
    return flight;
  }

  #wait(key: string, flight: Flight<T>, options: WaitOptions, joined: boolean): Promise<T> {
    const { signal } = options;
    const timeoutMs = joined ? options.joinTimeoutMs : undefined;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const leave = (reason: unknown) => {
        if (done) return;
        finish();
        flight.waiters -= 1;
        // The last caller gone: stop the call rather than finish it for nobody.
        if (flight.waiters === 0 && !flight.settled) {
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.controller.abort(reason);
        }
        reject(reason);
      };
      const onAbort = () => leave(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const error = options.timeoutError?.(timeoutMs) ?? new Error(`no answer within ${timeoutMs} ms`);
          leave(error);
        }, timeoutMs);
      }
      flight.promise.then(
        (value) => {
          if (done) return;
          finish();
          flight.waiters -= 1;
          resolve(joined ? this.#copy(value) : value);
        },
        (error: unknown) => {
          if (done) return;
          finish();
          flight.waiters -= 1;
          reject(error);
        },
      );
    });
  }
}
