import type { z } from './schemas/zod.js';
import { PlaidFacadeError, PlaidRateLimitError, PlaidSchemaError, PlaidTimeoutError } from './errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from './events.js';
import { mapClientFailure } from './map-error.js';
import type { RateLimiter } from './pipeline/rate-limit.js';
import type { RetryBudget } from './pipeline/retry-budget.js';
import { type ResolvedRetryOptions, withRetry } from './pipeline/retry.js';
import { raceAbort, startAttemptTimeout } from './pipeline/timeout.js';
import { parseJsonOrUndefined } from './json.js';

/** Per-request options handed to the official client (an axios request config). */
export interface TransportOptions {
  signal: AbortSignal;
}

/** The official client's answer, as far as the facade reads it. */
export interface TransportResponse {
  status: number;
  data: unknown;
}

/** Everything one Plaid call needs; the facade builds one per call. */
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
  timeoutMs: number;
  retry: ResolvedRetryOptions;
  signal?: AbortSignal | undefined;
}

/** The shared parts of the pipeline, one set per facade. */
export interface CallContext {
  limiter: RateLimiter;
  budget: RetryBudget;
  emit: (event: PlaidFacadeEvent) => void;
}

/** The last attempt, kept to describe the failure that ends a call. */
interface AttemptRecord {
  attempt: number;
  startedAt: number;
}

/**
 * Runs one Plaid call through the pipeline: retry (outermost) → rate limiter → timeout → the
 * official client → error mapping → schema validation. Retries pass through the limiter again.
 */
export async function runCall<Schema extends z.ZodType>(
  spec: CallSpec<Schema>,
  context: CallContext,
): Promise<z.output<Schema>> {
  const { endpoint, signal } = spec;
  let last: AttemptRecord = { attempt: 1, startedAt: performance.now() };

  const attempt = (attemptNumber: number) =>
    context.limiter.schedule({ endpoint, itemId: spec.itemId, signal }, async () => {
      last = { attempt: attemptNumber, startedAt: performance.now() };
      context.emit({ type: 'request', endpoint, attempt: attemptNumber });
      const response = await sendOnce(spec);
      let body: z.output<Schema>;
      try {
        body = parseBody(spec, response);
      } catch (error) {
        await spec.onInvalidBody?.(response.data);
        throw error;
      }
      context.emit({
        type: 'response',
        endpoint,
        attempt: attemptNumber,
        status: response.status,
        durationMs: elapsed(last.startedAt),
        requestId: requestIdOf(response.data),
      });
      return body;
    });

  try {
    return await withRetry(attempt, {
      options: spec.retry,
      budget: context.budget,
      signal,
      onRetry: ({ error, attempt: failed, delayMs }) => {
        noteFailure(spec, context, error, last, true);
        context.emit({
          type: 'retry',
          endpoint,
          attempt: failed,
          delayMs,
          errorCode: error.code,
          status: statusOf(error),
          requestId: error.requestId,
        });
      },
    });
  } catch (error) {
    if (error instanceof PlaidFacadeError) noteFailure(spec, context, error, last, false);
    throw error;
  }
}

async function sendOnce(spec: CallSpec<z.ZodType>): Promise<TransportResponse> {
  const deadline = startAttemptTimeout(spec.timeoutMs, spec.signal);
  try {
    // Plaid-Version travels in the client's configuration (ours, or the official one's default).
    return await raceAbort(spec.send({ signal: deadline.signal }), deadline.signal);
  } catch (failure) {
    if (deadline.timedOut()) {
      return Promise.reject(
        new PlaidTimeoutError(spec.endpoint, spec.timeoutMs, {
          retryable: !spec.nonIdempotent,
          outcomeUnknown: spec.nonIdempotent === true,
        }),
      );
    }
    if (spec.signal?.aborted) throw spec.signal.reason;
    throw mapClientFailure(failure, {
      endpoint: spec.endpoint,
      nonIdempotent: spec.nonIdempotent === true,
      secrets: spec.secrets,
    });
  } finally {
    deadline.dispose();
  }
}

function parseBody<Schema extends z.ZodType>(spec: CallSpec<Schema>, response: TransportResponse): z.output<Schema> {
  // The official client hands a 2xx body that is not JSON over as a string.
  const data = typeof response.data === 'string' ? parseJsonOrUndefined(response.data) : response.data;
  const result = spec.schema.safeParse(data);
  if (result.success) return result.data;
  if (data === undefined) {
    throw new PlaidSchemaError(spec.endpoint, [{ path: [], message: 'the body is not JSON' }]);
  }
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
  throw new PlaidSchemaError(spec.endpoint, issues, requestIdOf(data));
}

function noteFailure(
  spec: CallSpec<z.ZodType>,
  context: CallContext,
  error: PlaidFacadeError,
  last: AttemptRecord,
  retrying: boolean,
): void {
  if (error instanceof PlaidRateLimitError) {
    context.limiter.noteRateLimited({ endpoint: spec.endpoint, itemId: spec.itemId }, error.errorCode);
  }
  context.emit({
    type: 'error',
    endpoint: spec.endpoint,
    attempt: last.attempt,
    durationMs: elapsed(last.startedAt),
    errorName: error.name,
    errorCode: error.code,
    status: statusOf(error),
    requestId: error.requestId,
    retrying,
  });
}

function statusOf(error: PlaidFacadeError): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function requestIdOf(data: unknown): string | undefined {
  const id = (data as { request_id?: unknown } | null | undefined)?.request_id;
  return typeof id === 'string' ? id : undefined;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
