import type { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import {
  type Attributes,
  type Context,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  type AttemptMessage,
  type BalanceBilledMessage,
  type CallMessage,
  channelNames,
  type RateLimitMessage,
  type RetryBudgetMessage,
  type WebhookVerificationMessage,
} from '../observability/channels.js';
import { errorTypeOf } from './error-type.js';
import { createInstruments } from './metrics.js';

/** Options of `instrumentPlaidFacade`. */
export interface InstrumentationOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
}

/** What `instrumentPlaidFacade` returns. */
export interface Instrumentation {
  /** Stops creating spans and recording metrics. Spans of calls still running are ended as they are. */
  disable(): void;
}

/** The instrumentation scope name of spans and metrics. */
const SCOPE = 'plaid-facade';

/** A call in flight, as the instrumentation sees it. */
interface OpenCall {
  span: Span;
  startedAt: number;
}

/**
 * Subscribes OpenTelemetry to the facade's diagnostics channels: one CLIENT span per facade call,
 * named after the Plaid endpoint, with each attempt as a span event; and the facade's metrics.
 * The span is the active context while the call runs, so the official client's HTTP span (from
 * `@opentelemetry/instrumentation-http` or undici's) is its child. Call it once, before or after
 * creating facades: it observes every facade in the process. No span or metric attribute holds a
 * secret or a token; Item ids only from a facade created with `observability: { itemIds: true }`.
 *
 * @example
 * ```ts
 * import { instrumentPlaidFacade } from 'plaid-facade/otel';
 * const instrumentation = instrumentPlaidFacade();
 * // ... later, e.g. in tests
 * instrumentation.disable();
 * ```
 */
export function instrumentPlaidFacade(options: InstrumentationOptions = {}): Instrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const instruments = createInstruments((options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE));
  const open = new Map<string, OpenCall>();
  const waiting = new Map<string, Attributes>();

  const callChannel = diagnostics.tracingChannel<Context, CallMessage>(channelNames.call);
  // The store that makes the call's span the active context while the call runs. diagnostics_channel
  // only ever calls `run(value, next)` on a bound store, which is what `context.with` does for
  // whichever context manager the application registered; an AsyncLocalStorage of our own would
  // not be the one OpenTelemetry reads.
  const activeSpan = {
    run: <T>(value: Context, next: () => T): T => context.with(value, next),
  } as unknown as AsyncLocalStorage<Context>;
  const startSpan = (message: CallMessage): Context => {
    const attributes: Attributes = { 'plaid.endpoint': message.endpoint };
    if (message.itemId !== undefined) attributes['plaid.item_id'] = message.itemId;
    const span = tracer.startSpan(message.endpoint, { kind: SpanKind.CLIENT, attributes });
    open.set(message.callId, { span, startedAt: performance.now() });
    return trace.setSpan(context.active(), span);
  };
  const callSubscribers = {
    start: () => {},
    end: () => {},
    asyncStart: () => {},
    error: () => {},
    asyncEnd: (message: CallMessage) => {
      const call = open.get(message.callId);
      if (!call) return;
      open.delete(message.callId);
      const failed = 'error' in message;
      const errorType = failed ? errorTypeOf(message.errorCode) : undefined;
      const { span } = call;
      span.setAttribute('plaid.attempts', message.attempt);
      if (message.requestId !== undefined) span.setAttribute('plaid.request_id', message.requestId);
      if (message.status !== undefined) span.setAttribute('http.response.status_code', message.status);
      if (errorType !== undefined) {
        span.setAttribute('error.type', errorType);
        // The code only: the error itself (and its message) stays out of telemetry.
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      }
      span.end();
      const attributes: Attributes = { 'plaid.endpoint': message.endpoint };
      if (errorType !== undefined) attributes['error.type'] = errorType;
      instruments.callDuration.record((performance.now() - call.startedAt) / 1000, attributes);
    },
  };

  const onAttempt = (raw: unknown) => {
    const message = raw as AttemptMessage;
    const attributes: Attributes = { 'plaid.attempt': message.attempt, 'plaid.attempt.outcome': message.outcome };
    if (message.status !== undefined) attributes['http.response.status_code'] = message.status;
    if (message.requestId !== undefined) attributes['plaid.request_id'] = message.requestId;
    if (message.errorCode !== undefined) attributes['error.type'] = errorTypeOf(message.errorCode);
    if (message.retrying !== undefined) attributes['plaid.retrying'] = message.retrying;
    if (message.delayMs !== undefined) attributes['plaid.retry.delay_ms'] = message.delayMs;
    attributes['plaid.attempt.duration_ms'] = message.durationMs;
    open.get(message.callId)?.span.addEvent('plaid.attempt', attributes);
    if (message.outcome === 'error' && message.retrying) {
      instruments.retries.add(1, {
        'plaid.endpoint': message.endpoint,
        'plaid.retry.reason': errorTypeOf(message.errorCode),
      });
    }
  };
  const onRateLimit = (raw: unknown) => {
    const message = raw as RateLimitMessage;
    const key = `${message.callId}#${message.attempt}`;
    if (message.phase === 'wait') {
      const attributes: Attributes = { 'plaid.endpoint': message.endpoint };
      waiting.set(key, attributes);
      instruments.pendingRequests.add(1, attributes);
      return;
    }
    const attributes = waiting.get(key);
    if (attributes) {
      waiting.delete(key);
      instruments.pendingRequests.add(-1, attributes);
    }
    const waitedMs = message.waitedMs ?? 0;
    instruments.rateLimitWait.record(waitedMs / 1000, {
      'plaid.endpoint': message.endpoint,
      'plaid.rate_limit.outcome': message.phase,
    });
    // A wait worth noticing shows on the span; the sub-millisecond pass of an idle limiter does not.
    if (waitedMs >= 1) {
      open.get(message.callId)?.span.addEvent('plaid.rate_limit.wait', {
        'plaid.attempt': message.attempt,
        'plaid.rate_limit.wait_ms': Math.round(waitedMs),
        'plaid.rate_limit.outcome': message.phase,
      });
    }
  };
  const onRetryBudget = (raw: unknown) => {
    instruments.retryBudgetTokens.record((raw as RetryBudgetMessage).tokens);
  };
  const onBalanceBilled = (raw: unknown) => {
    instruments.billedBalanceCalls.add(1, { 'plaid.endpoint': (raw as BalanceBilledMessage).endpoint });
  };
  const onWebhookVerification = (raw: unknown) => {
    const message = raw as WebhookVerificationMessage;
    const attributes: Attributes = { 'plaid.webhook.result': message.result };
    if (message.webhookType !== undefined) attributes['plaid.webhook.type'] = message.webhookType;
    instruments.webhookVerifications.add(1, attributes);
  };

  const plain: Array<[string, (message: unknown) => void]> = [
    [channelNames.attempt, onAttempt],
    [channelNames.rateLimit, onRateLimit],
    [channelNames.retryBudget, onRetryBudget],
    [channelNames.balanceBilled, onBalanceBilled],
    [channelNames.webhookVerification, onWebhookVerification],
  ];
  callChannel.start.bindStore(activeSpan, startSpan);
  callChannel.subscribe(callSubscribers);
  for (const [name, listener] of plain) diagnostics.subscribe(name, listener);

  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      callChannel.start.unbindStore(activeSpan);
      callChannel.unsubscribe(callSubscribers);
      for (const [name, listener] of plain) diagnostics.unsubscribe(name, listener);
      for (const { span } of open.values()) span.end();
      open.clear();
      for (const attributes of waiting.values()) instruments.pendingRequests.add(-1, attributes);
      waiting.clear();
    },
  };
}
