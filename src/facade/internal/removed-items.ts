/** How many removed Items a facade remembers; the oldest are forgotten first. */
const capacity = 10_000;

/**
 * Items this facade removed at Plaid after their exchange's write failed or timed out: the write
 * may still land in the store later (a frozen database that thaws), so the facade treats such a
 * record as possibly there and never serves, lists or counts it as a duplicate, until it knows the
 * record deleted (`reconcile.ts`). Item ids are never reused by Plaid, so remembering one longer
 * than needed costs nothing but memory, which the capacity bounds.
 */
export class RemovedItems {
  readonly #ids = new Set<string>();

  /** Remembers that `itemId` is removed at Plaid. */
  add(itemId: string): void {
    this.#ids.delete(itemId);
    this.#ids.add(itemId);
    if (this.#ids.size > capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }

  /** Whether `itemId` was removed at Plaid by this facade. */
  has(itemId: string): boolean {
    return this.#ids.has(itemId);
  }
}
