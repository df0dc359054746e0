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

import type { PlaidApi } from 'plaid';
import { type PlaidFacadeError, PlaidSchemaError, redactorOf } from '../errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from '../events.js';
import { type CallObserver, type ObservabilitySettings, traceCall } from '../observability/trace-call.js';
import { maxBodyBytes } from '../options/defaults.js';
import type { ResolvedCall } from '../options.js';
import type { z } from '../schemas/zod.js';
import { classifyAbortedExchange, classifyFailure, classifyTimeout, type FailureContext } from './classify.js';
import { type PlaidRequests, sendRequest } from './official-client.js';
import { accessTokenOf, parseBody, readBody, readErrorBody, requestIdOf, type TransportResponse } from './parse.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { keepUnusedAccessToken, sendReadingBody, type UnusedAccessToken } from './read-body.js';
import { withRetry } from './retry.js';
import type { RetryBudget } from './retry-budget.js';
import { startAttemptTimeout } from './timeout.js';

/**
 * Everything one Plaid call needs, as data; an operation builds one per call. The pipeline sends
 * `request` to `endpoint` with the official client's method for it (`official-client.ts`).
 */
export interface CallSpec<Schema extends z.ZodType, Endpoint extends PlaidEndpoint = PlaidEndpoint> {
  endpoint: Endpoint;
  /** The Plaid request, of the endpoint's own type. */
  request: PlaidRequests[Endpoint];
  /** The official client, already loaded. */
  api: PlaidApi;
  /** The schema of a 2xx body. */
  schema: Schema;
  /** The Item, for per-Item rate limits. */
  itemId?: string | undefined;
  /** True for the public-token exchange, which Plaid cannot do twice. */
  nonIdempotent?: boolean;
  /**
   * A clean-up the facade owes Plaid (removing an Item whose token it could not keep): after the
   * facade's `close()` it still runs, past the closed rate limiter.
   */
  cleanup?: boolean;
  /**
   * The answer carries a new access token (the exchange): it is read as a stream, so that what
   * arrived of a cut-off answer is kept, and a token found in an answer that could not be used is
   * put in `record` (`read-body.ts`), for the operation to remove the Item at Plaid.
   */
  answerCarriesAccessToken?: boolean;
  /** Filled in by the pipeline as the call runs, for the operation to read once it has settled. */
  record?: CallRecord | undefined;
  /** Values that must never reach an error or event. */
  secrets: ReadonlyArray<string | undefined>;
  /** The call's resolved options: timeout, retry, signal. */
  call: ResolvedCall;
  /**
   * Taken by each attempt once the rate limiter lets it start, and given back when it ends: caps
   * the attempts of a group of calls (one `getAllBalances`) without holding a place while a call
   * waits for its own limit.
   */
  gate?: AttemptGate | undefined;
}

/** A cap on attempts at once (`facade/internal/gate.ts`'s `Gate`): `acquire` resolves with the release. */
export interface AttemptGate {
  acquire(signal: AbortSignal | undefined): Promise<() => void>;
}

/** What the pipeline records of one call for its operation (data, read once the call has settled). */
export interface CallRecord {
  /** Attempts whose request was handed to the official client; 0 when none was (limiter, gate, abort). */
  attemptsSent: number;
  /** With `answerCarriesAccessToken`: the access tokens in answers that could not be used. */
  unusedAccessTokens: UnusedAccessToken[];
}

/** A new, empty `CallRecord`. */
export function newCallRecord(): CallRecord {
  return { attemptsSent: 0, unusedAccessTokens: [] };
}

/** The shared parts of the pipeline, one set per facade. */
export interface Pipeline {
  limiter: RateLimiter;
  budget: RetryBudget;
  /**
   * Already safe: a listener that throws cannot break a call. For events of the facade's own
   * (the limiter's, billed reads); a call's events leave through the observer (`observability`).
   */
  emit: (event: PlaidFacadeEvent) => void;
  /** The facade's state: `closed` once its `close()` was called. */
  state?: { readonly closed: boolean } | undefined;
  /**
   * The one way out for what a call reports: `onEvent`'s call events, channel messages, log lines
   * (see `observability/trace-call.ts`).
   */
  observability: ObservabilitySettings;
}

/** The attempt running or last run, kept to describe the failure that ends a call. */
interface AttemptRecord {
  attempt: number;
  startedAt: number;
}

/**
 * Runs one Plaid call through every stage, in order, and returns the parsed 2xx body. The whole
 * call is observed (diagnostics channel, logger, call events): see `observability/trace-call.ts`.
 */
export function runCall<Schema extends z.ZodType>(
  spec: CallSpec<Schema>,
  pipeline: Pipeline,
): Promise<z.output<Schema>> {
  return traceCall(pipeline.observability, { endpoint: spec.endpoint, itemId: spec.itemId }, (observer) =>
    runStages(spec, pipeline, observer),
  );
}

async function runStages<Schema extends z.ZodType>(
  spec: CallSpec<Schema>,
  pipeline: Pipeline,
  observer: CallObserver,
): Promise<z.output<Schema>> {
  const { endpoint } = spec;
  const { callId } = observer;
  const { signal } = spec.call;
  const failure: FailureContext = {
    endpoint,
    nonIdempotent: spec.nonIdempotent === true,
    secrets: spec.secrets,
    maxBodyBytes: maxBodyBytes(endpoint),
  };
  let last: AttemptRecord = { attempt: 1, startedAt: performance.now() };
  // An echoing server can put a secret in a request id or a code: what the observer is told is
  // redacted here, once, and every observation (event, message, log line) uses it as it is.
  const redact = redactorOf(spec.secrets);
  // Whether a request of this call may have left when the caller's signal aborted it.
  let sending = false;

  const attempt = (attemptNumber: number) => {
    const admitted = observer.waiting(attemptNumber);
    return schedule(spec, pipeline, callId, async () => {
      admitted(true);
      const release = await spec.gate?.acquire(signal);
      try {
        return await sendAndParse(attemptNumber);
      } finally {
        release?.();
      }
    }).catch((error: unknown) => {
      admitted(false);
      throw error;
    });
  };

  const sendAndParse = async (attemptNumber: number): Promise<z.output<Schema>> => {
    last = { attempt: attemptNumber, startedAt: performance.now() };
    observer.attemptStarted(attemptNumber);
    sending = true;
    let response: TransportResponse;
    try {
      response = await sendOnce(spec, failure);
    } finally {
      // Left set when the caller aborted meanwhile: the abort may have come after the request left.
      if (!signal?.aborted) sending = false;
    }
    const read = await readBody(response.data);
    const data = read.ok ? read.value : undefined;
    // An exchange's answer carries a new access token, which an echoing server may repeat in its
    // request id: that token is redacted too.
    const answerToken = accessTokenOf(data);
    const redactAnswer = answerToken === undefined ? redact : redactorOf([...spec.secrets, answerToken]);
    let body: z.output<Schema>;
    try {
      body = await parseBody(endpoint, spec.schema, read, {
        nonIdempotent: spec.nonIdempotent === true,
        redact: redactAnswer,
      });
    } catch (error) {
      if (error instanceof PlaidSchemaError && spec.answerCarriesAccessToken) {
        keepUnusedAccessToken(spec.record, 'unreadable', read.ok ? data : response.data);
      }
      throw error;
    }
    const durationMs = elapsed(last.startedAt);
    const rawRequestId = requestIdOf(data);
    const requestId = rawRequestId === undefined ? undefined : redactAnswer(rawRequestId);
    const { status } = response;
    observer.attemptEnded({ attempt: attemptNumber, outcome: 'response', durationMs, status, requestId });
    return body;
  };

  const reportFailure = (error: PlaidFacadeError, retryDelayMs: number | undefined): void => {
    const durationMs = elapsed(last.startedAt);
    const status = statusOf(error);
    const retrying = retryDelayMs !== undefined;
    const errorCode = redact(error.code);
    const requestId = error.requestId === undefined ? undefined : redact(error.requestId);
    observer.attemptEnded({
      attempt: last.attempt,
      outcome: 'error',
      durationMs,
      status,
      requestId,
      errorCode,
      errorName: error.name,
      retrying,
      delayMs: retryDelayMs,
    });
  };

  try {
    return await withRetry(attempt, {
      options: spec.call.retry,
      // The caller aborted an exchange in flight: outcome unknown, not the bare reason.
      onAbort: () => abortedInFlight(spec, failure, sending),
      budget: pipeline.budget,
      signal,
      onRetry: ({ error, delayMs }) => reportFailure(error, delayMs),
      onGiveUp: (error) => reportFailure(error, undefined),
    });
  } finally {
    observer.budget(pipeline.budget.tokens, pipeline.budget.capacity);
  }
}

/** One attempt: the official client under the attempt's deadline, its failure classified. */
async function sendOnce(spec: CallSpec<z.ZodType>, failure: FailureContext): Promise<TransportResponse> {
  const { timeoutMs, signal } = spec.call;
  const deadline = startAttemptTimeout(timeoutMs, signal);
  try {
    // Plaid-Version travels in the client's configuration (ours, or the official one's default).
    const options = { signal: deadline.signal, maxContentLength: maxBodyBytes(spec.endpoint) };
    if (spec.record) spec.record.attemptsSent += 1;
    const sent = spec.answerCarriesAccessToken
      ? sendReadingBody(
          () => sendRequest(spec.api, spec.endpoint, spec.request, { ...options, responseType: 'stream' }),
          (partial) => keepUnusedAccessToken(spec.record, 'cut-off', partial),
        )
      : sendRequest(spec.api, spec.endpoint, spec.request, { ...options, responseType: 'text' });
    return await deadline.race(sent);
  } catch (error) {
    if (deadline.timedOut()) throw classifyTimeout(failure, timeoutMs);
    if (signal?.aborted) throw signal.reason;
    const read = await readErrorBody(error);
    throw classifyFailure(read.failure, failure, read.answer);
  } finally {
    deadline.dispose();
  }
}

/** The limiter's turn, or none for a clean-up after `close()` (the limiter is closed by then). */
function schedule<T>(
  spec: CallSpec<z.ZodType>,
  pipeline: Pipeline,
  callId: string,
  task: () => Promise<T>,
): Promise<T> {
  if (spec.cleanup && pipeline.state?.closed) return task();
  const { endpoint, itemId } = spec;
  return pipeline.limiter.schedule(
    { callId, endpoint, itemId, signal: spec.call.signal, timeoutMs: spec.call.timeoutMs, lane: spec.call.lane },
    task,
  );
}

/**
 * What a caller's abort ends the call with: for an exchange whose request may have left, an
 * outcome-unknown error (Plaid may have carried it out; the facade remembers the token as
 * uncertain); for anything else, `undefined` (the caller's own reason).
 */
function abortedInFlight(
  spec: CallSpec<z.ZodType>,
  failure: FailureContext,
  sending: boolean,
): PlaidFacadeError | undefined {
  const { signal } = spec.call;
  if (!spec.nonIdempotent || !sending || !signal?.aborted) return undefined;
  return classifyAbortedExchange(failure, signal.reason);
}

function statusOf(error: PlaidFacadeError): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
