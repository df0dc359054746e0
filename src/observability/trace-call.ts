import { randomUUID } from 'node:crypto';
import type { CallEndEvent, PlaidEndpoint, PlaidFacadeEvent } from '../events.js';
import {
  type AttemptMessage,
  type CallMessage,
  callChannel,
  publishAttempt,
  publishRateLimit,
  publishRetryBudget,
} from './channels.js';
import type { Logger } from './logger.js';

/**
 * What a facade resolves once for observing its calls. Every observation of a call leaves through
 * the observer made from these: `onEvent` events, diagnostics-channel messages, log lines (and so
 * the spans `plaid-facade/otel` makes of the channels), all from the same already-redacted fields.
 */
export interface ObservabilitySettings {
  /** Where one line per call goes, if anywhere. */
  logger: Logger | undefined;
  /** Whether Item ids may appear in channel messages and log lines (`observability.itemIds`). */
  itemIds: boolean;
  /** The facade's `onEvent`, made safe (it never throws); undefined when nobody listens. */
  onEvent?: ((event: PlaidFacadeEvent) => void) | undefined;
}

/** The call being observed. */
export interface CallInfo {
  endpoint: PlaidEndpoint;
  itemId?: string | undefined;
}

/** How a call went, once it is over: the `call-end` event's fields. */
type CallSummary = Omit<CallEndEvent, 'type'>;

/**
 * An attempt's end, as the pipeline reports it (the observer adds the call id and endpoint). Its
 * strings (`requestId`, `errorCode`) come redacted: the pipeline redacts them once, and every
 * observation uses them as they are. For `'error'`, `errorName` is the error's class name.
 */
export type AttemptNote = Omit<AttemptMessage, 'callId' | 'endpoint'> & { errorName?: string };

/** What the pipeline tells the observer of a call, step by step. */
export interface CallObserver {
  /** The call's id. */
  readonly callId: string;
  /**
   * Attempt `attempt` asks the rate limiter for a slot. Call the function returned once it got
   * one (`true`) or the limiter refused it (`false`).
   */
  waiting(attempt: number): (admitted: boolean) => void;
  /** Attempt `attempt` is about to be sent (the `request` event). */
  attemptStarted(attempt: number): void;
  /**
   * An attempt ended: answered (`response` event), or failed (`error` event, and a `retry` event
   * when `retrying`); one attempt message and, for a retried failure, one debug line.
   */
  attemptEnded(note: AttemptNote): void;
  /** The facade's retry budget after this call took or gave back tokens. */
  budget(tokens: number, capacity: number): void;
}

/**
 * Runs one facade call under observation: publishes it on the `plaid-facade:call` tracing channel
 * (only when someone subscribes), sends `onEvent`'s `call-start` and `call-end`, and writes one log line when it
 * ends. `run` gets the observer to report attempts and waits to. The call's outcome is `run`'s:
 * nothing here changes a result or an error.
 */
export function traceCall<T>(
  settings: ObservabilitySettings,
  info: CallInfo,
  run: (observer: CallObserver) => Promise<T>,
): Promise<T> {
  const startedAt = performance.now();
  const state: CallMessage = { callId: randomUUID(), endpoint: info.endpoint, attempt: 0, waitedMs: 0 };
  if (settings.itemIds && info.itemId !== undefined) state.itemId = info.itemId;
  const observer = createObserver(state, settings, info);
  settings.onEvent?.({ type: 'call-start', callId: state.callId, endpoint: info.endpoint });

  const observed = async (): Promise<T> => {
    try {
      const result = await run(observer);
      state.errorCode = undefined;
      finish(settings, info, state, startedAt, true);
      return result;
    } catch (error) {
      describeFailure(state, error);
      finish(settings, info, state, startedAt, false);
      throw error;
    }
  };
  if (!callChannel.hasSubscribers) return observed();
  return traced(observed, state);
}

/**
 * Runs `observed` on the tracing channel. Node puts the traced function's result in the message;
 * the pipeline's result is Plaid's parsed body (an exchange's holds the access token), so the
 * traced function resolves to nothing and the result travels around the channel. An error is the
 * facade's own, which never holds a secret. TracingChannel publishes asyncStart/asyncEnd after
 * `observed` settles: the state is complete by then.
 */
async function traced<T>(observed: () => Promise<T>, state: CallMessage): Promise<T> {
  let result: { value: T } | undefined;
  await callChannel.tracePromise(async () => {
    result = { value: await observed() };
  }, state);
  return (result as { value: T }).value;
}

function createObserver(state: CallMessage, settings: ObservabilitySettings, info: CallInfo): CallObserver {
  const { endpoint } = info;
  const { onEvent } = settings;
  return {
    callId: state.callId,
    waiting(attempt) {
      state.attempt = attempt;
      const since = performance.now();
      publishRateLimit(() => ({ callId: state.callId, endpoint: state.endpoint, attempt, phase: 'wait' }));
      let done = false;
      return (admitted) => {
        if (done) return;
        done = true;
        const waitedMs = performance.now() - since;
        state.waitedMs = (state.waitedMs ?? 0) + waitedMs;
        publishRateLimit(() => ({
          callId: state.callId,
          endpoint: state.endpoint,
          attempt,
          phase: admitted ? 'admitted' : 'rejected',
          waitedMs,
        }));
      };
    },
    attemptStarted(attempt) {
      onEvent?.({ type: 'request', callId: state.callId, endpoint, attempt });
    },
    attemptEnded(note) {
      state.attempt = Math.max(state.attempt, note.attempt);
      if (note.status !== undefined) state.status = note.status;
      if (note.requestId !== undefined) state.requestId = note.requestId;
      if (note.outcome === 'error') state.errorCode = note.errorCode;
      const { callId } = state;
      const { attempt, durationMs, status, requestId, errorCode = 'UNKNOWN' } = note;
      if (note.outcome === 'response') {
        onEvent?.({ type: 'response', callId, endpoint, attempt, status: status ?? 0, durationMs, requestId });
      } else {
        const retrying = note.retrying === true;
        const errorName = note.errorName ?? 'Error';
        onEvent?.({
          type: 'error',
          callId,
          endpoint,
          attempt,
          durationMs,
          errorName,
          errorCode,
          status,
          requestId,
          retrying,
        });
      }
      publishAttempt(() => {
        const { errorName: _name, ...message } = note;
        return { callId, endpoint: state.endpoint, ...message };
      });
      const logger = settings.logger;
      if (logger && note.outcome === 'error' && note.retrying) {
        safely(() =>
          logger.debug(
            fields(state, settings, {
              attempt: note.attempt,
              errorCode: note.errorCode,
              status: note.status,
              requestId: note.requestId,
              delayMs: note.delayMs,
            }),
            `${state.endpoint} attempt ${note.attempt} failed with ${note.errorCode ?? 'an error'}; retrying in ${note.delayMs ?? 0} ms`,
          ),
        );
      }
      if (note.outcome === 'error' && note.retrying) {
        onEvent?.({
          type: 'retry',
          callId,
          endpoint,
          attempt,
          delayMs: note.delayMs ?? 0,
          errorCode,
          status,
          requestId,
        });
      }
    },
    budget(tokens, capacity) {
      publishRetryBudget(() => ({ tokens, capacity }));
    },
  };
}

/** Reads what a failure says about the call, without keeping the error or anything it holds. */
function describeFailure(state: CallMessage, error: unknown): void {
  const { code, requestId, status } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    requestId?: unknown;
    status?: unknown;
  };
  state.errorCode =
    typeof code === 'string' ? code : error instanceof Error && error.name !== 'Error' ? error.name : 'UNKNOWN';
  if (typeof requestId === 'string') state.requestId = requestId;
  if (typeof status === 'number') state.status = status;
}

function finish(
  settings: ObservabilitySettings,
  info: CallInfo,
  state: CallMessage,
  startedAt: number,
  ok: boolean,
): void {
  const durationMs = Math.round(performance.now() - startedAt);
  const waitedMs = Math.round(state.waitedMs ?? 0);
  state.waitedMs = waitedMs;
  const summary: CallSummary = {
    callId: state.callId,
    endpoint: info.endpoint,
    ok,
    attempts: state.attempt,
    durationMs,
    waitedMs,
    requestId: state.requestId,
    status: state.status,
    errorCode: ok ? undefined : state.errorCode,
  };
  settings.onEvent?.({ type: 'call-end', ...summary });
  const logger = settings.logger;
  if (!logger) return;
  const attempts = `${summary.attempts} attempt${summary.attempts === 1 ? '' : 's'}`;
  const line = fields(state, settings, {
    requestId: summary.requestId,
    attempts: summary.attempts,
    durationMs,
    waitedMs,
    status: summary.status,
    errorCode: summary.errorCode,
  });
  safely(() =>
    ok
      ? logger.info(line, `${state.endpoint} ok in ${durationMs} ms (${attempts})`)
      : logger.warn(line, `${state.endpoint} failed with ${summary.errorCode} in ${durationMs} ms (${attempts})`),
  );
}

/** The fields of a log line: the call's own, then `extra`. The Item id only when allowed. */
function fields(
  state: CallMessage,
  settings: ObservabilitySettings,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const base: Record<string, unknown> = { callId: state.callId, endpoint: state.endpoint };
  if (settings.itemIds && state.itemId !== undefined) base.itemId = state.itemId;
  return { ...base, ...extra };
}

/**
 * A listener's or a logger's exception must not change the call's outcome; nor may the rejection
 * of an async one (a logger method that returns a promise), which would otherwise be unhandled and
 * end the process.
 */
function safely(action: () => unknown): void {
  try {
    const result = action();
    if (isThenable(result)) result.then(undefined, () => {});
  } catch {
    // ignored on purpose
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
