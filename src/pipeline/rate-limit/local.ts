import { type Clock, realClock } from './clock.js';
import { type AcquireRequest, closedError, type Limit, type LimitSpec, type Permit } from './limit.js';
import { SlidingWindow, type Slot } from './window.js';

/** The limits of one endpoint, kept in this process. */
export interface LocalLimitOptions {
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  /** The client-wide window, if the endpoint has one. */
  readonly perEndpoint?: LimitSpec | undefined;
  /** The per-Item window, if the endpoint has one. */
  readonly perItem?: LimitSpec | undefined;
  /** Calls that may wait per window (the endpoint's, each Item's). 0: never wait. */
  readonly maxQueued: number;
  readonly clock?: Clock | undefined;
}

/** The key of the endpoint's single window. */
const endpointKey = '';

const noSlot: Slot = { release: () => {}, cancel: () => {} };

/**
 * Creates the in-process `Limit` of one endpoint: its Item's window first, then the endpoint's.
 * A call waiting for its Item holds none of the endpoint's slots, which every other Item needs;
 * a call that finds room in both gets its permit synchronously (no timer, no event-loop turn).
 */
export function createLocalLimit(options: LocalLimitOptions): Limit {
  const clock = options.clock ?? realClock;
  const { maxQueued, endpoint } = options;
  const items =
    options.perItem &&
    new SlidingWindow({ spec: options.perItem, maxQueued, clock, label: `this Item's limit on ${endpoint}` });
  const whole =
    options.perEndpoint &&
    new SlidingWindow({ spec: options.perEndpoint, maxQueued, clock, label: `the limit of ${endpoint}` });

  const permit = (item: Slot, all: Slot): Permit => ({
    release() {
      item.release();
      all.release();
    },
    cancel() {
      item.cancel();
      all.cancel();
    },
  });

  const takeEndpoint = async (request: AcquireRequest): Promise<Slot> => {
    if (!whole) return noSlot;
    return whole.acquire(endpointKey, {
      signal: request.signal,
      onWaited: request.onWaited && ((waitedMs) => request.onWaited?.({ perItem: false, waitedMs })),
    });
  };

  return {
    acquire(request) {
      const { itemId, signal } = request;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const window = itemId === undefined ? undefined : items;
      // the free path: both slots at once, synchronously
      const itemSlot = window ? window.tryAcquire(itemId as string) : noSlot;
      if (itemSlot) {
        const all = whole ? whole.tryAcquire(endpointKey) : noSlot;
        if (all) return Promise.resolve(permit(itemSlot, all));
        return takeEndpoint(request).then(
          (taken) => permit(itemSlot, taken),
          (error: unknown) => {
            itemSlot.cancel();
            throw error;
          },
        );
      }
      return (window as SlidingWindow)
        .acquire(itemId as string, {
          signal,
          onWaited: request.onWaited && ((waitedMs) => request.onWaited?.({ perItem: true, waitedMs })),
        })
        .then(async (taken) => {
          try {
            return permit(taken, await takeEndpoint(request));
          } catch (error) {
            taken.cancel();
            throw error;
          }
        });
    },
    pause({ itemId }) {
      if (itemId !== undefined && items) items.pause(itemId);
      else whole?.pause(endpointKey);
    },
    async close() {
      const closed = closedError();
      items?.close(closed);
      whole?.close(closed);
    },
  };
}
