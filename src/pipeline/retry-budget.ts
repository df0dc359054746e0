/**
 * A retry quota shared by every call of one facade, after AWS SDK v3's: each retry spends
 * tokens, each success earns some back, and when the bucket is empty failures surface at once
 * instead of multiplying the load on a Plaid that is already failing.
 */
export class RetryBudget {
  readonly #capacity: number;
  #tokens: number;

  /** @param capacity tokens in a full bucket. Default 500: 100 retries (50 after timeouts) in a row. */
  constructor(capacity = 500) {
    this.#capacity = capacity;
    this.#tokens = capacity;
  }

  /** Tokens in a full bucket. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Tokens left now. */
  get tokens(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry; false (and nothing taken) when the budget cannot pay it. */
  take(afterTimeout: boolean): number | undefined {
    const cost = afterTimeout ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.#tokens < cost) return undefined;
    this.#tokens -= cost;
    return cost;
  }

  /** A call succeeded: gives back what its retries took, or a small amount when it had none. */
  refund(spent: number): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (spent > 0 ? spent : SUCCESS_REFUND));
  }
}

const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;
const SUCCESS_REFUND = 1;
