/** Options of `FetchBudget`. */
export interface FetchBudgetOptions {
  /** The clock, in milliseconds. */
  now: () => number;
  /** Fetches a minute for key ids seen for the first time. */
  newPerMinute: number;
  /** Fetches a minute kept for key ids refused before and seen again. */
  repeatPerMinute: number;
  /** How many refused key ids are remembered (least recently seen dropped first). */
  maxPending: number;
}

/** Which share of the budget a fetch was granted from. */
export type FetchLane = 'new' | 'repeat';

const minuteMs = 60_000;

/**
 * How many fetches of uncached webhook key ids may start, per minute, in two lanes.
 *
 * A key id nobody has seen takes a slot of the `new` lane. When that lane is spent, the id is
 * refused (the webhook is answered 5xx and Plaid delivers it again) and remembered as pending. A
 * pending id seen again — Plaid's redelivery, or the next webhook signed with the same new key —
 * takes a slot of the `repeat` lane (or of the `new` lane if it has room). Made-up key ids that
 * are never repeated therefore spend only the `new` lane, and a genuine new key, which every
 * later webhook of Plaid names, still finds the `repeat` lane open.
 */
export class FetchBudget {
  readonly #options: FetchBudgetOptions;
  readonly #started: Record<FetchLane, number[]> = { new: [], repeat: [] };
  // Insertion order is recency: a sighting moves its id to the end, the oldest go first.
  readonly #pending = new Map<string, number>();

  constructor(options: FetchBudgetOptions) {
    this.#options = options;
  }

  /** Takes a slot for fetching `kid`, or records the sighting and returns `undefined`. */
  take(kid: string): FetchLane | undefined {
    const now = this.#options.now();
    for (const lane of ['new', 'repeat'] as const) {
      this.#started[lane] = this.#started[lane].filter((time) => now - time < minuteMs && time <= now);
    }
    const sightings = this.#pending.get(kid) ?? 0;
    const lanes: FetchLane[] = sightings > 0 ? ['repeat', 'new'] : ['new'];
    for (const lane of lanes) {
      if (this.#started[lane].length < this.#limit(lane)) {
        this.#started[lane].push(now);
        this.#pending.delete(kid);
        return lane;
      }
    }
    this.remember(kid);
    return undefined;
  }

  /** Records a sighting of `kid` that got no key (refused, or its fetch failed): seen again, it is a repeat. */
  remember(kid: string): void {
    const sightings = this.#pending.get(kid) ?? 0;
    this.#pending.delete(kid);
    this.#pending.set(kid, sightings + 1);
    for (const oldest of this.#pending.keys()) {
      if (this.#pending.size <= this.#options.maxPending) break;
      this.#pending.delete(oldest);
    }
  }

  #limit(lane: FetchLane): number {
    return lane === 'new' ? this.#options.newPerMinute : this.#options.repeatPerMinute;
  }
}
