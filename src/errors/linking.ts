import { PlaidFacadeError } from './base.js';

/**
 * Thrown by `exchange` (and `completeLink`, `webhooks.handle`) when another caller, in this
 * process or another, holds the claim on the same public token and has neither finished nor let
 * its lease run out within the wait. Retryable: ask again in a moment and the Item will be there.
 *
 * @example
 * ```ts
 * if (error instanceof ExchangeInProgressError) return res.status(409).send('Still linking, try again');
 * ```
 */
export class ExchangeInProgressError extends PlaidFacadeError {
  /** How long this caller waited, in milliseconds. */
  readonly waitedMs: number;

  constructor(waitedMs: number) {
    super(
      `Another caller is exchanging this public token (its claim is held, not yet finished) and did not finish within ${waitedMs} ms; try again shortly`,
      { code: 'EXCHANGE_IN_PROGRESS' },
    );
    this.waitedMs = waitedMs;
  }
}
