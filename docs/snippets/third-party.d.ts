// The few packages the observability examples use that this repository does not install, declared
// as narrowly as the examples need: the real packages' types are wider.
declare module 'pino' {
  type LogFn = (fields: object, message?: string) => void;
  interface Logger {
    debug: LogFn;
    info: LogFn;
    warn: LogFn;
    error: LogFn;
  }
  export default function pino(options?: { level?: string }): Logger;
}

declare module '@opentelemetry/exporter-trace-otlp-http' {
  import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
  export class OTLPTraceExporter implements SpanExporter {
    constructor(config?: { url?: string; headers?: Record<string, string> });
    export: SpanExporter['export'];
    shutdown: SpanExporter['shutdown'];
  }
}

declare module '@opentelemetry/exporter-metrics-otlp-http' {
  import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
  export class OTLPMetricExporter implements PushMetricExporter {
    constructor(config?: { url?: string; headers?: Record<string, string> });
    export: PushMetricExporter['export'];
    forceFlush: PushMetricExporter['forceFlush'];
    shutdown: PushMetricExporter['shutdown'];
  }
}
