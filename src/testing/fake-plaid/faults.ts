import { nearestName } from '../../options/hints.js';
import { errorBody, isKnownErrorCode, knownErrorCodes, rateLimitCode } from './errors.js';
import type { FakeErrorBody, FakeFault } from './types.js';

/** What a fault makes the fake do, decided before the request is carried out. */
export type ResolvedFault =
  | { kind: 'drop'; processFirst: boolean }
  | { kind: 'latency'; ms: number }
  | { kind: 'answer'; status: number; body: unknown }
  | { kind: 'non-json' }
  | { kind: 'bad-schema' };

const specials = new Set(['network', 'processed-then-dropped', 'non-json', 'bad-schema']);

/** Throws at once (in the test that set it up) when a fault cannot be understood. */
export function validateFault(fault: FakeFault): void {
  if (typeof fault === 'string') {
    if (!specials.has(fault) && !isKnownErrorCode(fault)) {
      const near = nearestName(fault, [...specials, ...knownErrorCodes()], Math.max(2, Math.floor(fault.length / 4)));
      throw new TypeError(
        `failNext: unknown fault ${JSON.stringify(fault)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}. ` +
          `Use a special fault ('network', 'processed-then-dropped', 'non-json', 'bad-schema'), an error code the fake ` +
          `knows, or a partial error body with error_type and status.`,
      );
    }
    return;
  }
  if (typeof fault !== 'object' || fault === null)
    throw new TypeError('failNext: a fault must be a string or an object');
  if ('latencyMs' in fault && typeof fault.latencyMs !== 'number')
    throw new TypeError('failNext: latencyMs must be a number');
}

/** Turns a fault into what to do for one request on `endpoint`. */
export function resolveFault(fault: FakeFault, endpoint: string): ResolvedFault {
  if (typeof fault === 'string') {
    if (fault === 'network') return { kind: 'drop', processFirst: false };
    if (fault === 'processed-then-dropped') return { kind: 'drop', processFirst: true };
    if (fault === 'non-json') return { kind: 'non-json' };
    if (fault === 'bad-schema') return { kind: 'bad-schema' };
    const code = fault === 'RATE_LIMIT_EXCEEDED' ? rateLimitCode(endpoint, false) : fault;
    const body = errorBody(code);
    return { kind: 'answer', status: body.status, body };
  }
  if ('latencyMs' in fault) return { kind: 'latency', ms: fault.latencyMs };
  if ('error_code' in fault && typeof fault.error_code === 'string') {
    const body: FakeErrorBody = errorBody(fault.error_code, fault as Partial<FakeErrorBody>);
    return { kind: 'answer', status: body.status, body };
  }
  const raw = fault as { status: number; body: unknown };
  return { kind: 'answer', status: raw.status, body: raw.body };
}

/** Faults waiting for the next calls, per endpoint (`'*'` for every endpoint). */
export class FaultQueue {
  private readonly queues = new Map<string, FakeFault[]>();

  /** Queues `fault` for the next `times` calls to `endpoint`. */
  add(endpoint: string, fault: FakeFault, times: number): void {
    validateFault(fault);
    const queue = this.queues.get(endpoint) ?? [];
    for (let index = 0; index < times; index += 1) queue.push(fault);
    this.queues.set(endpoint, queue);
  }

  /** The next fault for a call to `endpoint`, used up; an endpoint's own faults come first. */
  take(endpoint: string): FakeFault | undefined {
    return this.queues.get(endpoint)?.shift() ?? this.queues.get('*')?.shift();
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queues.clear();
  }
}
