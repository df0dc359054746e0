import type { PlaidFacadeEvent } from '../../src/index.js';

/** An `onEvent` listener that breaks in each way one can: it throws, its promise rejects, it returns a rejection. */
export const brokenListeners: Array<(event: PlaidFacadeEvent) => unknown> = [
  () => {
    throw new Error('listener throws');
  },
  async () => {
    throw new Error('listener rejects');
  },
  () => Promise.reject(new Error('listener returns a rejection')),
];

/**
 * Runs `run`, then lets one turn of the event loop pass (Node reports an unhandled rejection at the
 * end of the turn it happened in) and returns every unhandled rejection seen meanwhile.
 */
export async function unhandledRejectionsDuring(run: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return unhandled;
}
