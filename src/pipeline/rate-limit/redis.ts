import { randomUUID } from 'node:crypto';
import { type Clock, type ClockTimer, realClock } from './clock.js';
import {
  type AcquireRequest,
  closedError,
  type Limit,
  type LimitSpec,
  type Permit,
  pauseMs,
  queueFullError,
} from './limit.js';
import type { RedisConnection } from './redis-connection.js';

/*
 * The limits of one endpoint shared through Redis: every window is a sorted set updated by one
 * Lua script (redis-scripts.ts). A call that finds room costs two round trips: the acquire script
 * (the Item's window and the endpoint's together, all or nothing) and the settle script.
 *
 * Calls that must wait queue here, per Item (or per endpoint for calls without one): only the
 * first of a queue asks Redis again, when the script said a slot frees, so waiting costs one
 * command per slot freed, and nothing once no call waits.
 */

/** How one endpoint's shared limits are set up. */
export interface RedisLimitOptions {
  readonly connection: RedisConnection;
  /** Start of every key of this endpoint, e.g. `plaid-facade:production:/accounts/balance/get`. */
  readonly keyPrefix: string;
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  readonly perEndpoint?: LimitSpec | undefined;
  readonly perItem?: LimitSpec | undefined;
  /** Calls that may wait in this process per Item (per endpoint without one). 0: never wait. */
  readonly maxQueued: number;
  /**
   * The clock waits are timed with. Given (tests), its time is also the windows' time in Redis;
   * otherwise Redis's own clock is, so processes on hosts whose clocks differ still agree.
   */
  readonly clock?: Clock | undefined;
}

/**
 * How long Redis keeps the slot of a call still in flight, beyond its window, should the process
 * die before the call settles. Longer than any call's timeout: a call that outlives it loses its
 * slot early.
 */
const inFlightLeaseMs = 10 * 60_000;

interface Window {
  readonly set: string;
  readonly pause: string;
  readonly spec: LimitSpec;
  readonly perItem: boolean;
}

interface Waiter {
  readonly joinedAt: number;
  readonly request: AcquireRequest;
  readonly windows: Window[];
  /** Its Item's queue, or the endpoint's when it has no Item window. */
  readonly itemQueue: string;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  /** The window that was full when the call first asked: reported when its wait ends. */
  readonly perItem: boolean;
  /** The queue it waits in now. */
  queue: string;
}

interface Queue {
  readonly waiters: Waiter[];
  /** An acquire script is on its way for the first waiter. */
  asking: boolean;
  timer: ClockTimer | undefined;
}

/** The queue of calls held up by the endpoint's window, whatever their Item. */
const endpointQueue = 'all';

type Answer = { granted: true; permit: Permit } | { granted: false; waitMs: number; perItem: boolean };

/** Creates the `Limit` of one endpoint, shared through Redis. */
export function createRedisLimit(options: RedisLimitOptions): Limit {
  const { connection, keyPrefix, maxQueued } = options;
  const clock = options.clock ?? realClock;
  const sharedTime = options.clock === undefined;
  const owner = randomUUID();
  let counter = 0;
  let closed = false;
  const queues = new Map<string, Queue>();
  const settling = new Set<Promise<unknown>>();
  /** Permits not yet settled: `close()` releases them (held for a window from then). */
  const open = new Set<Permit>();

  const time = (): string | number => (sharedTime ? '' : Math.round(clock.now()));
  const windowKeys = (name: string, spec: LimitSpec, perItem: boolean): Window => {
    // `{…}`: every key of an endpoint in one Redis Cluster hash slot, as the script needs
    const set = `{${keyPrefix}}:${name}:${spec.limit}per${spec.intervalMs}ms`;
    return { set, pause: `${set}:pause`, spec, perItem };
  };
  const windowsOf = (itemId: string | undefined): Window[] => {
    const windows: Window[] = [];
    if (itemId !== undefined && options.perItem) windows.push(windowKeys(`item:${itemId}`, options.perItem, true));
    if (options.perEndpoint) windows.push(windowKeys('all', options.perEndpoint, false));
    return windows;
  };
  const label = (perItem: boolean): string =>
    perItem ? `this Item's limit on ${options.endpoint}` : `the limit of ${options.endpoint}`;

  const track = (settle: Promise<unknown>): void => {
    const tracked = settle.catch(() => {
      // Redis away: the slot's lease (or its window, once released) frees it there
    });
    settling.add(tracked);
    void tracked.finally(() => settling.delete(tracked));
  };

  const permitFor = (windows: Window[], member: string, itemQueue: string): Permit => {
    let done = false;
    const settle = (hold: boolean): void => {
      if (done) return;
      done = true;
      open.delete(permit);
      const args: Array<string | number> = [time(), member, hold ? '1' : '0'];
      for (const window of windows) args.push(window.spec.intervalMs);
      const sent = connection.settle(
        windows.map((window) => window.set),
        args,
      );
      track(sent);
      // waiting calls learn at once when the slot frees (now, or a window from now)
      void sent.then(
        () => {
          wakeNow(itemQueue);
          wakeNow(endpointQueue);
        },
        () => {},
      );
    };
    const permit: Permit = { release: () => settle(true), cancel: () => settle(false) };
    open.add(permit);
    return permit;
  };

  const ask = async (windows: Window[], itemQueue: string): Promise<Answer> => {
    const member = `${owner}:${counter++}`;
    const args: Array<string | number> = [time(), member];
    const keys: string[] = [];
    for (const window of windows) {
      keys.push(window.set, window.pause);
      args.push(window.spec.limit, window.spec.intervalMs, inFlightLeaseMs);
    }
    try {
      const [granted, waitMs, index] = await connection.acquire(keys, args);
      if (granted === 1) return { granted: true, permit: permitFor(windows, member, itemQueue) };
      return { granted: false, waitMs, perItem: windows[index - 1]?.perItem ?? false };
    } catch (error) {
      // The script may have run although its answer was lost: give back what it may have taken.
      track(
        connection.settle(
          windows.map((window) => window.set),
          [time(), member, '0', ...windows.map((window) => window.spec.intervalMs)],
        ),
      );
      throw error;
    }
  };

  const leave = (waiter: Waiter): void => {
    waiter.request.onWaited?.({ perItem: waiter.perItem, waitedMs: clock.now() - waiter.joinedAt });
  };

  const queueOf = (key: string): Queue => {
    let queue = queues.get(key);
    if (!queue) {
      queue = { waiters: [], asking: false, timer: undefined };
      queues.set(key, queue);
    }
    return queue;
  };

  const dropQueueIfEmpty = (key: string): void => {
    const queue = queues.get(key);
    if (!queue || queue.waiters.length > 0 || queue.asking) return;
    queue.timer?.cancel();
    queues.delete(key);
  };

  /** Sets the queue's timer for when its first call is worth asking for again, unless it has one or is asking. */
  const askAgainIn = (key: string, waitMs: number): void => {
    const queue = queueOf(key);
    if (queue.asking || queue.timer || closed) return;
    queue.timer = clock.setTimeout(() => pump(key), waitMs);
  };

  /**
   * Asks Redis for the first waiter of a queue; on to the next while slots are granted. A call
   * refused by the other window than its queue's moves to that window's queue: calls held up by the
   * endpoint wait in one line, so that one question to Redis stands for all of them.
   */
  function pump(key: string): void {
    const queue = queues.get(key);
    if (!queue || queue.asking || closed) return;
    const first = queue.waiters[0];
    if (!first) {
      dropQueueIfEmpty(key);
      return;
    }
    queue.timer?.cancel();
    queue.timer = undefined;
    queue.asking = true;
    ask(first.windows, first.itemQueue).then(
      (answer) => {
        queue.asking = false;
        const index = queue.waiters.indexOf(first);
        if (answer.granted) {
          if (closed || index < 0) {
            answer.permit.cancel(); // aborted (or closed) while Redis answered
          } else {
            queue.waiters.splice(index, 1);
            leave(first);
            first.resolve(answer.permit);
          }
          pump(key);
          return;
        }
        if (closed) return;
        const blockedBy = answer.perItem ? first.itemQueue : endpointQueue;
        if (blockedBy !== key && index >= 0) {
          queue.waiters.splice(index, 1);
          first.queue = blockedBy;
          queueOf(blockedBy).waiters.push(first);
          askAgainIn(blockedBy, answer.waitMs);
          pump(key);
          return;
        }
        askAgainIn(key, answer.waitMs);
      },
      (error: unknown) => {
        queue.asking = false;
        // Redis did not answer: every call of this queue would wait on it; none hangs.
        for (const waiter of queue.waiters.splice(0)) {
          leave(waiter);
          waiter.reject(error);
        }
        dropQueueIfEmpty(key);
      },
    );
  }

  function wakeNow(key: string): void {
    const queue = queues.get(key);
    if (queue && !queue.asking && queue.waiters.length > 0) pump(key);
  }

  const wait = (
    key: string,
    windows: Window[],
    itemQueue: string,
    request: AcquireRequest,
    joinedAt: number,
    perItem: boolean,
  ) =>
    new Promise<Permit>((resolve, reject) => {
      const { signal } = request;
      const onAbort = (): void => {
        const queue = queues.get(waiter.queue);
        const index = queue ? queue.waiters.indexOf(waiter) : -1;
        if (!queue || index < 0) return;
        queue.waiters.splice(index, 1);
        leave(waiter);
        reject(signal?.reason);
        dropQueueIfEmpty(waiter.queue);
      };
      const waiter: Waiter = {
        joinedAt,
        request,
        windows,
        itemQueue,
        perItem,
        queue: key,
        resolve: (permit) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(permit);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queueOf(key).waiters.push(waiter);
    });

  return {
    async acquire(request) {
      const { signal } = request;
      signal?.throwIfAborted();
      if (closed) throw closedError();
      const windows = windowsOf(request.itemId);
      if (windows.length === 0) return { release: () => {}, cancel: () => {} };
      const itemQueue = request.itemId !== undefined && options.perItem ? `item:${request.itemId}` : endpointQueue;
      const joinedAt = clock.now();
      // calls already wait for this Item, or for the endpoint: this one goes behind them (first
      // come, first served), without asking Redis
      for (const key of new Set([itemQueue, endpointQueue])) {
        const waiting = queues.get(key)?.waiters;
        if (!waiting || waiting.length === 0) continue;
        const perItem = key !== endpointQueue;
        if (waiting.length >= maxQueued) throw queueFullError(label(perItem), maxQueued);
        return wait(key, windows, itemQueue, request, joinedAt, perItem);
      }
      const answer = await ask(windows, itemQueue);
      if (answer.granted) {
        if (signal?.aborted || closed) {
          answer.permit.cancel();
          throw signal?.aborted ? signal.reason : closedError();
        }
        return answer.permit;
      }
      const key = answer.perItem ? itemQueue : endpointQueue;
      if (maxQueued === 0 || (queues.get(key)?.waiters.length ?? 0) >= maxQueued) {
        throw queueFullError(label(answer.perItem), maxQueued);
      }
      if (signal?.aborted) throw signal.reason;
      if (closed) throw closedError();
      const waiting = wait(key, windows, itemQueue, request, joinedAt, answer.perItem);
      askAgainIn(key, answer.waitMs);
      return waiting;
    },

    pause({ itemId }) {
      if (closed) return;
      const windows = windowsOf(itemId);
      const window = itemId !== undefined && options.perItem ? windows[0] : windows.at(-1);
      if (!window) return;
      const ms = pauseMs(window.spec);
      track(connection.pause([window.pause], [time(), ms, ms + window.spec.intervalMs]));
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = closedError();
      for (const queue of queues.values()) {
        queue.timer?.cancel();
        for (const waiter of queue.waiters.splice(0)) {
          leave(waiter);
          waiter.reject(error);
        }
      }
      queues.clear();
      // Calls still in flight: their slots are held for a window from now, as if they had settled,
      // rather than left to the lease (minutes) when this connection goes.
      for (const permit of [...open]) permit.release();
      // Settles sent finish (each bounded by timeoutMs): Redis then frees those slots on time.
      await Promise.all([...settling]);
    },
  };
}
