/**
 * `plaid-facade/otel`: `instrumentPlaidFacade`, OpenTelemetry spans and metrics for every call
 * (`@opentelemetry/api` is an optional peer).
 *
 * @example
 * ```ts
 * import { instrumentPlaidFacade } from 'plaid-facade/otel';
 * ```
 * @module plaid-facade/otel
 */
export { type Instrumentation, type InstrumentationOptions, instrumentPlaidFacade } from './instrument.js';
