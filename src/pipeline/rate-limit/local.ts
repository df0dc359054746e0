import { type Clock, realClock } from './clock.js';
import {
  type AcquireRequest,
  closedError,
  type LaneSettings,
  type Limit,
  type LimitSpec,
  maxWaitOf,
  type Permit,
} from './limit.js';
import { SlidingWindow, type Slot } from './window.js';

/** The limits of one endpoint, kept in this process. */
export interface LocalLimitOptions {
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  /** The client-wide window, if the endpoint has one. */
  readonly perEndpoint?: LimitSpec | undefined;
  /** The per-Item window, if the endpoint has one. */
  readonly perItem?: LimitSpec | undefined;
  /** Calls that may wait per window (the endpoint's, each Item's) and per lane. 0: never wait. */
  readonly maxQueued: number;
  /** The lanes' share of each window and their bounds on waiting. */
  readonly lanes?: LaneSettings | undefined;
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
  const { maxQueued, endpoint, lanes } = options;
  const itemWindows =
    options.perItem &&
    new SlidingWindow({ spec: options.perItem, maxQueued, clock, lanes, label: `this Item's limit on ${endpoint}` });
  const endpointWindow =
    options.perEndpoint &&
    new SlidingWindow({ spec: options.perEndpoint, maxQueued, clock, lanes, label: `the limit of ${endpoint}` });

  const permit = (itemSlot: Slot, endpointSlot: Slot): Permit => ({
    release() {
      itemSlot.release();
      endpointSlot.release();
    },
    cancel() {
      itemSlot.cancel();
      endpointSlot.cancel();
    },
  });

  /** The endpoint's slot, within what is left of the call's bound on waiting after its Item's window. */
  const takeEndpoint = async (request: AcquireRequest, startedAt: number): Promise<Slot> => {
    if (!endpointWindow) return noSlot;
    const lane = request.lane ?? 'interactive';
    const bound = lanes && maxWaitOf(lane, lanes);
    return endpointWindow.acquire(endpointKey, {
      signal: request.signal,
      lane,
      maxWaitMs: bound === undefined ? undefined : Math.max(0, bound - (clock.now() - startedAt)),
      onWaited: request.onWaited && ((waitedMs) => request.onWaited?.({ perItem: false, waitedMs })),
    });
  };

  return {
    acquire(request) {
      const { itemId, signal } = request;
      const lane = request.lane ?? 'interactive';
      if (signal?.aborted) return Promise.reject(signal.reason);
      const startedAt = clock.now();
      const window = itemId === undefined ? undefined : itemWindows;
      // the free path: both slots at once, synchronously
      const itemSlot = window ? window.tryAcquire(itemId as string, lane) : noSlot;
      if (itemSlot) {
        const endpointSlot = endpointWindow ? endpointWindow.tryAcquire(endpointKey, lane) : noSlot;
        if (endpointSlot) return Promise.resolve(permit(itemSlot, endpointSlot));
        return takeEndpoint(request, startedAt).then(
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
          lane,
          onWaited: request.onWaited && ((waitedMs) => request.onWaited?.({ perItem: true, waitedMs })),
        })
        .then(async (taken) => {
          try {
            return permit(taken, await takeEndpoint(request, startedAt));
          } catch (error) {
            taken.cancel();
            throw error;
          }
        });
    },
    pause({ itemId }) {
      if (itemId !== undefined && itemWindows) itemWindows.pause(itemId);
      else endpointWindow?.pause(endpointKey);
    },
    async close() {
      const closed = closedError();
      itemWindows?.close(closed);
      endpointWindow?.close(closed);
    },
  };
}
