import type { Limit } from './limit.js';

/**
 * Two limits of one endpoint taken in turn: the Item's, then the endpoint's. A call waiting for
 * its Item holds none of the endpoint's slots, which every other Item needs; a call refused by
 * the endpoint gives its Item's slot back at once. Pauses go to the Item's limit when they name
 * an Item, else to the endpoint's.
 */
export function chainLimits(item: Limit, endpoint: Limit): Limit {
  return {
    async acquire(request) {
      const first = await item.acquire(request);
      try {
        const second = await endpoint.acquire(request);
        return {
          release() {
            first.release();
            second.release();
          },
          cancel() {
            first.cancel();
            second.cancel();
          },
        };
      } catch (error) {
        first.cancel();
        throw error;
      }
    },
    pause(request) {
      if (request.itemId !== undefined) item.pause(request);
      else endpoint.pause(request);
    },
    async close() {
      await Promise.all([item.close(), endpoint.close()]);
    },
  };
}
