// Code of docs/observability.md. `clientId` and `secret` come from your configuration: the
// parameters of the functions below, which test/docs/docs-snippets-run-hosts.test.ts calls (answering for
// https://sandbox.plaid.com with the fake Plaid). pino and the OTLP exporters are not installed in
// this repository (see third-party.d.ts): that test runs these functions with tiny stand-ins for them.
import diagnostics from 'node:diagnostics_channel';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { createPlaidFacade } from 'plaid-facade';
import { instrumentPlaidFacade } from 'plaid-facade/otel';

/** Your Plaid credentials. */
export interface Credentials {
  clientId: string;
  secret: string;
}

export function withPino({ clientId, secret }: Credentials) {
  // #region pino
  const logger = pino({ level: 'info' });
  const plaid = createPlaidFacade({ clientId, secret, logger });
  // {"level":30,"callId":"…","endpoint":"/accounts/balance/get","requestId":"m8MDnv9okwxFNBV",
  //  "attempts":1,"durationMs":412,"waitedMs":0,"status":200,"msg":"/accounts/balance/get ok in 412 ms (1 attempt)"}
  // #endregion
  return plaid;
}

export async function withOtlp({ clientId, secret }: Credentials) {
  // #region otlp
  // Once, before the facade's first call (and before other modules that you instrument load).
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: 'http://localhost:4318/v1/traces' }))],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: 'http://localhost:4318/v1/metrics' }),
        exportIntervalMillis: 15_000,
      }),
    ],
  });
  const instrumentation = instrumentPlaidFacade({ tracerProvider, meterProvider });

  const plaid = createPlaidFacade({ clientId, secret });
  // ... on shutdown:
  instrumentation.disable();
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  // #endregion
  return plaid;
}

export function withNodeSdk() {
  // #region global
  // With the providers registered globally (e.g. by @opentelemetry/sdk-node's NodeSDK), no options are needed:
  instrumentPlaidFacade();
  // #endregion
}

export function withChannel() {
  // #region channel
  const calls = diagnostics.tracingChannel('plaid-facade:call');
  calls.subscribe({
    start() {},
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message) {
      // { callId, endpoint, attempt, requestId, status, errorCode, waitedMs, error? }
      console.log(message);
    },
  });
  // #endregion
}

export function withEvents({ clientId, secret }: Credentials) {
  // #region events
  const plaid = createPlaidFacade({
    clientId,
    secret,
    onEvent(event) {
      if (event.type === 'retry') {
        console.warn(`call ${event.callId}: attempt ${event.attempt} failed with ${event.errorCode}, retrying`);
      }
      if (event.type === 'call-end') {
        console.info(
          `call ${event.callId}: ${event.endpoint} ${event.ok ? 'ok' : event.errorCode} in ${event.durationMs} ms`,
        );
      }
    },
  });
  // #endregion
  return plaid;
}
