import { inspect } from 'node:util';
import type { PlaidFacadeEvent } from '../../src/index.js';

/** Everything a caller could log about an error and the events, as one text to search for leaks. */
export function everyRendering(error: unknown, events: PlaidFacadeEvent[]): string {
  const e = error as Error & { toJSON?: () => unknown };
  return [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(e.cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(events),
  ].join('\n');
}
