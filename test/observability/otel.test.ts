import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { PlaidApi } from 'plaid';
import { type Instrumentation, instrumentPlaidFacade } from 'plaid-facade/otel';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PlaidFacadeOptions } from '../../src/index.js';
import { balanceBody, callsThatCouldLeak, leakProbe, plaidError, useScriptedPlaid } from '../support/msw-plaid.js';
import { scriptedFacade } from '../support/scripted-facade.js';

/** A metric reader that collects on demand. */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const plaid = useScriptedPlaid();
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
let reader: TestReader;
let meterProvider: MeterProvider;
let instrumentation: Instrumentation;

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

afterEach(async () => {
  instrumentation.disable();
  exporter.reset();
  await meterProvider.shutdown();
});

/** Instruments with a fresh meter provider (metrics are cumulative per provider). */
function instrument() {
  reader = new TestReader();
  meterProvider = new MeterProvider({ readers: [reader] });
  instrumentation = instrumentPlaidFacade({ tracerProvider, meterProvider });
}

const secret = 'secret-xyz-123';

// scriptedFacade's secret is `secret`; retries without waiting
const facade = (extra: Partial<PlaidFacadeOptions> = {}) =>
  scriptedFacade({ retry: { minDelayMs: 1, maxDelayMs: 1 }, ...extra });

const linkBody = { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' };

async function metric(name: string): Promise<MetricData | undefined> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
}

function points(data: MetricData | undefined): DataPoint<unknown>[] {
  return (data?.dataPoints ?? []) as DataPoint<unknown>[];
}

function spans(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

describe('plaid-facade/otel: spans', () => {
  it('makes one CLIENT span per call, named after the endpoint, with the request id and attempts', async () => {
    instrument();
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });

    const [span, ...others] = spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('/link/token/create');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toMatchObject({
      'plaid.endpoint': '/link/token/create',
      'plaid.request_id': 'req-1',
      'plaid.attempts': 1,
      'http.response.status_code': 200,
    });
    expect(span?.attributes['error.type']).toBeUndefined();
    const attempts = span?.events.filter((event) => event.name === 'plaid.attempt');
    expect(attempts?.map((event) => event.attributes?.['plaid.attempt.outcome'])).toEqual(['response']);
  });

  it('records each attempt of a retried call as a span event, and counts the retries by reason', async () => {
    instrument();
    plaid.script(
      '/link/token/create',
      plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500),
      { networkError: true },
      { json: linkBody },
    );
    await facade().linkToken({ userId: 'user-1' });

    const [span] = spans();
    expect(span?.attributes['plaid.attempts']).toBe(3);
    expect(span?.attributes['plaid.request_id']).toBe('req-1');
    const attempts = span?.events.filter((event) => event.name === 'plaid.attempt');
    expect(attempts?.map((event) => event.attributes)).toEqual([
      expect.objectContaining({ 'plaid.attempt': 1, 'error.type': 'INTERNAL_SERVER_ERROR', 'plaid.retrying': true }),
      expect.objectContaining({ 'plaid.attempt': 2, 'error.type': 'NETWORK_ERROR', 'plaid.retrying': true }),
      expect.objectContaining({ 'plaid.attempt': 3, 'plaid.attempt.outcome': 'response' }),
    ]);
    const retries = points(await metric('plaid.client.retries'));
    expect(retries.map((point) => [point.attributes['plaid.retry.reason'], point.value]).sort()).toEqual([
      ['INTERNAL_SERVER_ERROR', 1],
      ['NETWORK_ERROR', 1],
    ]);
  });

  it('marks a failed call with error.type and an error status', async () => {
    instrument();
    plaid.script('/link/token/create', plaidError('INVALID_REQUEST', 'MISSING_FIELDS', 400));
    await expect(facade().linkToken({ userId: 'user-1' })).rejects.toMatchObject({ code: 'MISSING_FIELDS' });

    const [span] = spans();
    expect(span?.attributes).toMatchObject({
      'plaid.attempts': 1,
      'error.type': 'MISSING_FIELDS',
      'plaid.request_id': 'req-MISSING_FIELDS',
      'http.response.status_code': 400,
    });
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'MISSING_FIELDS' });
    const duration = points(await metric('plaid.client.call.duration'));
    expect(duration.map((point) => point.attributes)).toEqual([
      { 'plaid.endpoint': '/link/token/create', 'error.type': 'MISSING_FIELDS' },
    ]);
  });

  it('keeps error.type a bounded set: a code neither the library nor Plaid documents is `other`', async () => {
    instrument();
    const f = facade({ retry: false });
    for (let i = 0; i < 20; i++) {
      plaid.script('/link/token/create', plaidError('INVALID_REQUEST', `MADE_UP_${i}`, 400));
      await expect(f.linkToken({ userId: 'user-1' })).rejects.toMatchObject({ code: `MADE_UP_${i}` });
    }
    const duration = points(await metric('plaid.client.call.duration'));
    expect(duration.map((point) => point.attributes)).toEqual([
      { 'plaid.endpoint': '/link/token/create', 'error.type': 'other' },
    ]);
    expect(new Set(spans().map((span) => span.attributes['error.type']))).toEqual(new Set(['other']));
  });

  it("parents the official client's HTTP span inside the call's span, even after a rate-limit wait", async () => {
    instrument();
    const tracer = tracerProvider.getTracer('http-instrumentation-stand-in');
    // Stands in for @opentelemetry/instrumentation-http: a span started in the active context when
    // the official client sends its request.
    const plaidApi = {
      linkTokenCreate: async () => {
        tracer.startSpan('POST').end();
        return { status: 200, data: linkBody };
      },
    } as unknown as PlaidApi;
    const f = facade({ plaidApi, rateLimit: { endpoints: { '/link/token/create': { limit: 1, intervalMs: 150 } } } });
    // The second call is started by the limiter from the first one's turn.
    await Promise.all([f.linkToken({ userId: 'a' }), f.linkToken({ userId: 'b' })]);
    await f.close();

    const calls = spans().filter((span) => span.name === '/link/token/create');
    const http = spans().filter((span) => span.name === 'POST');
    expect(calls).toHaveLength(2);
    expect(http).toHaveLength(2);
    const callIds = calls.map((span) => span.spanContext().spanId).sort();
    expect(http.map((span) => span.parentSpanContext?.spanId).sort()).toEqual(callIds);
    for (const span of http) {
      const parent = calls.find((call) => call.spanContext().spanId === span.parentSpanContext?.spanId);
      expect(span.spanContext().traceId).toBe(parent?.spanContext().traceId);
    }
    // the call that waited for the next window shows its wait (a whole window, less what the first call took)
    const waits = calls.flatMap((span) =>
      span.events
        .filter((event) => event.name === 'plaid.rate_limit.wait')
        .map((event) => Number(event.attributes?.['plaid.rate_limit.wait_ms'])),
    );
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(100);
  });

  it("makes the call's span a child of the caller's active span", async () => {
    instrument();
    plaid.script('/link/token/create', { json: linkBody });
    const tracer = tracerProvider.getTracer('app');
    await tracer.startActiveSpan('handle request', async (parent) => {
      await facade().linkToken({ userId: 'user-1' });
      parent.end();
    });
    const call = spans().find((span) => span.name === '/link/token/create');
    const parent = spans().find((span) => span.name === 'handle request');
    expect(call?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
  });

  it('stops after disable()', async () => {
    instrument();
    instrumentation.disable();
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    expect(spans()).toEqual([]);
    expect(points(await metric('plaid.client.call.duration'))).toEqual([]);
  });
});

describe('plaid-facade/otel: metrics', () => {
  it('records call durations in seconds, by endpoint', async () => {
    instrument();
    plaid.script('/link/token/create', { json: linkBody });
    const f = facade();
    await f.linkToken({ userId: 'user-1' });
    await f.linkToken({ userId: 'user-2' });
    const data = await metric('plaid.client.call.duration');
    expect(data?.descriptor.unit).toBe('s');
    const [point] = points(data);
    expect(point?.attributes).toEqual({ 'plaid.endpoint': '/link/token/create' });
    expect(point?.value).toMatchObject({ count: 2 });
  });

  it('records rate-limit waits and the number of attempts waiting in the limiter', async () => {
    instrument();
    plaid.script('/link/token/create', { json: linkBody });
    const f = facade({ rateLimit: { endpoints: { '/link/token/create': { limit: 1, intervalMs: 60_000 } } } });
    await f.linkToken({ userId: 'a' });
    const cancel = new AbortController();
    const second = f.linkToken({ userId: 'b' }, { signal: cancel.signal });
    // the second call waits for the next window (a minute away)
    await vi.waitFor(async () => {
      const pending = points(await metric('plaid.client.rate_limit.pending_requests'));
      expect(pending.map((point) => point.value)).toEqual([1]);
    });
    cancel.abort(new Error('gave up'));
    await expect(second).rejects.toThrow('gave up');
    await f.close();
    expect(points(await metric('plaid.client.rate_limit.pending_requests')).map((point) => point.value)).toEqual([0]);
    const waits = points(await metric('plaid.client.rate_limit.wait.duration'));
    expect(
      waits.map((point) => [point.attributes['plaid.rate_limit.outcome'], (point.value as { count: number }).count]),
    ).toEqual([
      ['admitted', 1],
      ['rejected', 1],
    ]);
  });

  it('reports the retry budget after a call', async () => {
    instrument();
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    await expect(facade().linkToken({ userId: 'user-1' })).rejects.toThrow();
    const [point] = points(await metric('plaid.client.retry_budget.tokens'));
    // a full budget (500) minus three retries (5 each), not given back: the call failed
    expect(point?.value).toBe(485);
  });
});

describe('plaid-facade/otel: what it never records', () => {
  it('no span, span event or metric attribute holds the secret, an access token, a public token or an Item id', async () => {
    instrument();
    const { accessToken, publicToken, itemId } = leakProbe;
    await callsThatCouldLeak(plaid, facade());

    const { resourceMetrics } = await reader.collect();
    const recorded = JSON.stringify({
      spans: spans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
      })),
      metrics: resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.map((m) => m.dataPoints.map((point) => point.attributes)),
      ),
    });
    expect(spans().map((span) => span.name)).toEqual(
      expect.arrayContaining(['/item/public_token/exchange', '/accounts/balance/get', '/accounts/balance/get']),
    );
    for (const value of [secret, accessToken, publicToken, itemId]) expect(recorded).not.toContain(value);
  });

  it('puts the Item id on spans only for a facade created with observability: { itemIds: true }', async () => {
    instrument();
    const f = facade({ observability: { itemIds: true } });
    plaid.script('/item/public_token/exchange', {
      json: { access_token: 'access-sandbox-1', item_id: 'item-1', request_id: 'req-x' },
    });
    await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
    plaid.script('/accounts/balance/get', { json: balanceBody('item-1') });
    await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    const balance = spans().find((span) => span.name === '/accounts/balance/get');
    expect(balance?.attributes['plaid.item_id']).toBe('item-1');
  });
});

describe('plaid-facade/otel: without a context manager', () => {
  it('still makes spans (the HTTP span cannot be parented then)', async () => {
    instrument();
    context.disable();
    try {
      plaid.script('/link/token/create', { json: linkBody });
      await facade().linkToken({ userId: 'user-1' });
      expect(spans().map((span) => span.name)).toEqual(['/link/token/create']);
      expect(trace.getActiveSpan()).toBeUndefined();
    } finally {
      context.setGlobalContextManager(contextManager.enable());
    }
  });
});
