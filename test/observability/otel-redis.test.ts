import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import type { PlaidApi } from 'plaid';
import { instrumentPlaidFacade } from 'plaid-facade/otel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade } from '../../src/index.js';
import { serviceUrl } from '../support/services.js';

const url = serviceUrl('redis', 'spans of calls that waited for a limit shared through Redis');
const contextManager = new AsyncLocalStorageContextManager();
const clients: Redis[] = [];
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  context.disable();
  await Promise.all(clients.map((client) => client.quit()));
});

describe.skipIf(!url)('plaid-facade/otel with limits shared through Redis', () => {
  it("parents each call's HTTP span inside its own call's span when calls wait for a limit shared through Redis", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const instrumentation = instrumentPlaidFacade({ tracerProvider });
    const tracer = tracerProvider.getTracer('http-instrumentation-stand-in');
    const linkBody = { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' };
    const plaidApi = {
      linkTokenCreate: async () => {
        tracer.startSpan('POST').end();
        return { status: 200, data: linkBody };
      },
    } as unknown as PlaidApi;
    const client = new Redis(url as string, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const f = createPlaidFacade({
      clientId: 'c',
      secret: 'secret-xyz-123',
      plaidApi,
      rateLimit: {
        endpoints: { '/link/token/create': { limit: 1, intervalMs: 200 } },
        redis: { client, prefix: `pf-test-${randomUUID()}`, readyTimeoutMs: 5000 },
      },
    });
    try {
      await Promise.all([0, 1, 2].map((n) => f.linkToken({ userId: `u${n}` })));
    } finally {
      await f.close();
      instrumentation.disable();
    }
    const spans = exporter.getFinishedSpans();
    const calls = spans.filter((span) => span.name === '/link/token/create');
    const http = spans.filter((span) => span.name === 'POST');
    expect(calls).toHaveLength(3);
    expect(http.map((span) => span.parentSpanContext?.spanId).sort()).toEqual(
      calls.map((span) => span.spanContext().spanId).sort(),
    );
  });
});
