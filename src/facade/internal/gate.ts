/**
 * At most `size` holders at a time; the others wait in arrival order. A waiter whose signal
 * aborts leaves the line (rejecting with the signal's reason) without taking a place.
 *
 * @example
 * const gate = new Gate(4);
 * const release = await gate.acquire(signal);
 * try { await send(); } finally { release(); }
 */
export class Gate {
  readonly #size: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** Resolves with a `release` function once a place is free. Call `release` exactly once. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#held < this.#size) {
      this.#held += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const enter = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#held += 1;
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(enter);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(enter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held -= 1;
      this.#waiting.shift()?.();
    };
  }
}
