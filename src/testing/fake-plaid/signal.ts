import type { FakeSignalDuplicateMode, FakeSignalEvaluation, FakeSignalOutcome } from './types.js';

/** One evaluation the fake carried out, with what identifies its request. */
interface StoredEvaluation {
  fingerprint: string;
  evaluation: FakeSignalEvaluation;
  /** The latest `/signal/decision/report` for it, if any. */
  initiated: boolean | undefined;
}

/**
 * The fake's Signal memory: the ruleset outcome each Item gets (programmable), the evaluations
 * carried out by `client_transaction_id`, and what a repeated id gets. Plaid's behaviour for a
 * repeated id is not settled in its documents (the client's description: "will return the results
 * of the previous evaluation"; its error pages: `CLIENT_TRANSACTION_ID_ALREADY_IN_USE`), so the
 * fake can do either.
 */
export class FakeSignal {
  /** What a repeated `client_transaction_id` gets: `'replay'` (default) or `'error'`. */
  duplicateMode: FakeSignalDuplicateMode = 'replay';
  private readonly outcomes = new Map<string, FakeSignalOutcome[]>();
  private readonly evaluations = new Map<string, StoredEvaluation>();

  /** The outcome of the Item's next evaluations: the first queued one, else its standing one. */
  setOutcome(itemId: string, outcome: FakeSignalOutcome | FakeSignalOutcome[]): void {
    this.outcomes.set(itemId, Array.isArray(outcome) ? [...outcome] : [outcome]);
  }

  /** The outcome for the Item's next evaluation (a list is used in order; its last entry stays). */
  takeOutcome(itemId: string): FakeSignalOutcome {
    const queue = this.outcomes.get(itemId);
    if (!queue || queue.length === 0) return {};
    return (queue.length > 1 ? queue.shift() : queue[0]) as FakeSignalOutcome;
  }

  /** The evaluation stored under an id, and whether `fingerprint` matches its request. */
  find(clientTransactionId: string): StoredEvaluation | undefined {
    return this.evaluations.get(clientTransactionId);
  }

  /** Stores a new evaluation. */
  add(fingerprint: string, evaluation: FakeSignalEvaluation): void {
    this.evaluations.set(evaluation.clientTransactionId, { fingerprint, evaluation, initiated: undefined });
  }

  /** Every evaluation carried out, oldest first (copies). */
  list(): FakeSignalEvaluation[] {
    return [...this.evaluations.values()].map((stored) => structuredClone(stored.evaluation));
  }

  /** Records a decision report; false when the id was never evaluated. */
  reportDecision(clientTransactionId: string, initiated: boolean): boolean {
    const stored = this.evaluations.get(clientTransactionId);
    if (!stored) return false;
    stored.initiated = initiated;
    stored.evaluation.decisions.push({ initiated });
    return true;
  }

  /** Whether a decision report said the payment was not initiated (its latest report). */
  reportedNotInitiated(clientTransactionId: string): boolean {
    return this.evaluations.get(clientTransactionId)?.initiated === false;
  }

  /** Records a return; false when the id was never evaluated. */
  reportReturn(clientTransactionId: string, returnCode: string): boolean {
    const stored = this.evaluations.get(clientTransactionId);
    if (!stored) return false;
    stored.evaluation.returns.push({ returnCode });
    return true;
  }

  /** Forgets evaluations and outcomes; back to the default duplicate mode. */
  clear(): void {
    this.outcomes.clear();
    this.evaluations.clear();
    this.duplicateMode = 'replay';
  }
}
