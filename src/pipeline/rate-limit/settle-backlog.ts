/*
 * Settles Redis did not acknowledge (it was away, or frozen): kept here and sent again as soon as
 * Redis answers, so slots taken before an outage free on time once it is over instead of staying
 * taken until their lease ends. Sending one twice is harmless: the settle script is idempotent by
 * slot id (it sets the same end from the age of the settle).
 */

/** One settle to send: the keys of one slot, and its arguments, built when sent (the age moves). */
export interface PendingSettle {
  readonly keys: string[];
  readonly args: () => Array<string | number>;
}

/** Settles kept at most; beyond it the oldest is dropped (its slot then frees when its lease ends). */
export const MAX_PENDING_SETTLES = 10_000;

/** How often kept settles are sent again while Redis does not answer (real time). */
const RETRY_EVERY_MS = 250;

/** Keeps the settles Redis did not acknowledge and sends them again. */
export class SettleBacklog {
  private readonly pending = new Map<string, PendingSettle>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private closed = false;

  /** @param send one settle, bounded in time; rejects when Redis did not acknowledge it */
  constructor(private readonly send: (settle: PendingSettle) => Promise<unknown>) {}

  /** Settles kept now (for tests and benches). */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Sends a settle; if Redis does not acknowledge it, keeps it (under `id`, the slot's member and
   * key) and sends it again later. Resolves true once acknowledged, false when kept.
   */
  async settle(id: string, settle: PendingSettle): Promise<boolean> {
    try {
      await this.send(settle);
      return true;
    } catch {
      this.keep(id, settle);
      return false;
    }
  }

  /** Redis answered (a command succeeded, or the connection is ready again): send what is kept. */
  kick(): void {
    if (this.pending.size === 0 || this.flushing || this.closed) return;
    this.flushing = true;
    void this.flush().finally(() => {
      this.flushing = false;
    });
  }

  /** Sends what is kept once more, waiting for the answers (close() does, bounded by each send). */
  async flush(): Promise<void> {
    const batch = [...this.pending];
    await Promise.all(
      batch.map(async ([id, settle]) => {
        try {
          await this.send(settle);
          if (this.pending.get(id) === settle) this.pending.delete(id);
        } catch {
          // still away: kept, and sent again by the timer or the next answer
        }
      }),
    );
    this.arm();
  }

  /** Stops retrying. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private keep(id: string, settle: PendingSettle): void {
    if (this.closed) return;
    this.pending.delete(id);
    this.pending.set(id, settle);
    if (this.pending.size > MAX_PENDING_SETTLES) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.closed || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, RETRY_EVERY_MS);
    this.timer.unref?.();
  }
}
