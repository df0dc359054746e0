/**
 * The one file that writes the order of a call's stages:
 *
 *   retry (outermost) → rate limit → timeout → official client → classify → parse
 *
 * Each retry passes through the rate limiter again. What each stage decides lives in its own
 * file: `retry.ts` (how often and how long to wait), `rate-limit/` (when a call may start, and
 * what a 429 does to the limit), `timeout.ts` (the attempt's deadline), `classify.ts` (what a
 * failure means: retryable, outcome unknown) and `parse.ts` (what a 2xx body must look like).
 */
import { type PlaidFacadeError, PlaidSchemaError } from '../errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from '../events.js';
import type { ResolvedCall } from '../options.js';
import type { z } from '../schemas/zod.js';
import { classifyFailure, classifyTimeout, type FailureContext } from './classify.js';
import { parseBody, requestIdOf, type TransportResponse } from './parse.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { withRetry } from './retry.js';
import type { RetryBudget } from './retry-budget.js';
import { raceAbort, startAttemptTimeout } from './timeout.js';

/** Per-request options handed to the official client (an axios request config). */
export interface TransportOptions {
  signal: AbortSignal;
}

/** Everything one Plaid call needs; an operation builds one per call. */
export interface CallSpec<Schema extends z.ZodType> {
  endpoint: PlaidEndpoint;
  /** Sends one attempt through the official client. */
  send: (options: TransportOptions) => Promise<TransportResponse>;
  /** The schema of a 2xx body. */
  schema: Schema;
  /** The Item, for per-Item rate limits. */
  itemId?: string | undefined;
  /** True for the public-token exchange, which Plaid cannot do twice. */
  nonIdempotent?: boolean;
  /** Called with a 2xx body that fails the schema, before `PlaidSchemaError` is thrown. Must not throw. */
  onInvalidBody?: (data: unknown) => Promise<void>;
  /** Values that must never reach an error or event. */
  secrets: ReadonlyArray<string | undefined>;
  /** The call's resolved options: timeout, retry, signal. */
  call: ResolvedCall;
  /**
   * Taken by each attempt once the rate limiter lets it start, and given back when it ends: caps
   * the attempts of a group of calls (one `getAllBalances`) without holding a place while a call
   * waits for its own limit.
   */
  gate?: ((signal: AbortSignal | undefined) => Promise<() => void>) | undefined;
}

/** The shared parts of the pipeline, one set per facade. */
export interface Pipeline {
  limiter: RateLimiter;
  budget: RetryBudget;
  /** Already safe: a listener that throws cannot break a call. */
  emit: (event: PlaidFacadeEvent) => void;
}

/** The attempt running or last run, kept to describe the failure that ends a call. */
interface AttemptRecord {
  attempt: number;
  startedAt: number;
}

/** Runs one Plaid call through every stage, in order, and returns the parsed 2xx body. */
export async function runCall<Schema extends z.ZodType>(
  spec: CallSpec<Schema>,
  pipeline: Pipeline,
): Promise<z.output<Schema>> {
  const { endpoint } = spec;
  const { signal } = spec.call;
  const failure: FailureContext = { endpoint, nonIdempotent: spec.nonIdempotent === true, secrets: spec.secrets };
  let last: AttemptRecord = { attempt: 1, startedAt: performance.now() };

  const attempt = (attemptNumber: number) =>
    pipeline.limiter.schedule({ endpoint, itemId: spec.itemId, signal }, async () => {
      const release = await spec.gate?.(signal);
      try {
        return await sendAndParse(attemptNumber);
      } finally {
        release?.();
      }
    });

  const sendAndParse = async (attemptNumber: number): Promise<z.output<Schema>> => {
    last = { attempt: attemptNumber, startedAt: performance.now() };
    pipeline.emit({ type: 'request', endpoint, attempt: attemptNumber });
    const response = await sendOnce(spec, failure);
    let body: z.output<Schema>;
    try {
      body = parseBody(endpoint, spec.schema, response);
    } catch (error) {
      if (error instanceof PlaidSchemaError) await spec.onInvalidBody?.(response.data);
      throw error;
    }
    pipeline.emit({
      type: 'response',
      endpoint,
      attempt: attemptNumber,
      status: response.status,
      durationMs: elapsed(last.startedAt),
      requestId: requestIdOf(response.data),
    });
    return body;
  };

  const reportFailure = (error: PlaidFacadeError, retrying: boolean): void => {
    pipeline.emit({
      type: 'error',
      endpoint,
      attempt: last.attempt,
      durationMs: elapsed(last.startedAt),
      errorName: error.name,
      errorCode: error.code,
      status: statusOf(error),
      requestId: error.requestId,
      retrying,
    });
  };

  return withRetry(attempt, {
    options: spec.call.retry,
    budget: pipeline.budget,
    signal,
    onRetry: ({ error, attempt: failed, delayMs }) => {
      reportFailure(error, true);
      pipeline.emit({
        type: 'retry',
        endpoint,
        attempt: failed,
        delayMs,
        errorCode: error.code,
        status: statusOf(error),
        requestId: error.requestId,
      });
    },
    onGiveUp: (error) => reportFailure(error, false),
  });
}

/** One attempt: the official client under the attempt's deadline, its failure classified. */
async function sendOnce(spec: CallSpec<z.ZodType>, failure: FailureContext): Promise<TransportResponse> {
  const { timeoutMs, signal } = spec.call;
  const deadline = startAttemptTimeout(timeoutMs, signal);
  try {
    // Plaid-Version travels in the client's configuration (ours, or the official one's default).
    return await raceAbort(spec.send({ signal: deadline.signal }), deadline.signal);
  } catch (error) {
    if (deadline.timedOut()) throw classifyTimeout(failure, timeoutMs);
    if (signal?.aborted) throw signal.reason;
    throw classifyFailure(error, failure);
  } finally {
    deadline.dispose();
  }
}

function statusOf(error: PlaidFacadeError): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
