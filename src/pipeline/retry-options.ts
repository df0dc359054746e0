/** How transient failures are retried. Each field has a documented default. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Base of the exponential backoff, in milliseconds. Default 250. */
  minDelayMs?: number;
  /** Cap of any one delay, in milliseconds. Default 8000. */
  maxDelayMs?: number;
}
