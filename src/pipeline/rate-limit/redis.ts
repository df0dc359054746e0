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
  settlers,
} from './limit.js';
import type { RedisConnection } from './redis-connection.js';

/*
 * The Item windows of one endpoint shared through Redis: each Item's window is a sorted set
 * updated by Lua scripts (redis-scripts.ts). A call that finds room costs two round trips: the
 * acquire script and the settle script. (The endpoint's own window is bottleneck's: clustered.ts.)
 *
 * Calls that must wait queue here, per Item: only the first of a queue asks Redis again, when the
 * script said a slot frees, so waiting costs one command per slot freed, and nothing once no call
 * waits.
 */

/** How one endpoint's shared Item windows are set up. */
export interface RedisLimitOptions {
  readonly connection: RedisConnection;
  /** Start of every key of this endpoint, e.g. `plaid-facade:production:/accounts/balance/get`. */
  readonly keyPrefix: string;
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  /** The window each Item has. A call without an Item passes at once. */
  readonly perItem: LimitSpec;
  /** Calls that may wait in this process per Item. 0: never wait. */
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
}

interface Waiter {
  readonly joinedAt: number;
  readonly request: AcquireRequest;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
}

interface Queue {
  readonly window: Window;
  readonly waiters: Waiter[];
  /** An acquire script is on its way for the first waiter. */
  asking: boolean;
  timer: ClockTimer | undefined;
}

type Answer = { granted: true; permit: Permit } | { granted: false; waitMs: number };

const noPermit: Permit = { release: () => {}, cancel: () => {} };

/** Creates the `Limit` of one endpoint's Item windows, shared through Redis. */
export function createRedisLimit(options: RedisLimitOptions): Limit {
  const { connection, keyPrefix, maxQueued, perItem: spec } = options;
  const clock = options.clock ?? realClock;
  const sharedTime = options.clock === undefined;
  const owner = randomUUID();
  const label = `this Item's limit on ${options.endpoint}`;
  let counter = 0;
  let closed = false;
  const queues = new Map<string, Queue>();
  const settling = new Set<Promise<unknown>>();
  /** Permits not yet settled: `close()` releases them (held for a window from then). */
  const open = new Set<Permit>();

  const time = (): string | number => (sharedTime ? '' : Math.round(clock.now()));
  const windowOf = (itemId: string): Window => {
    // `{…}`: every key of an endpoint in one Redis Cluster hash slot
    const set = `{${keyPrefix}}:item:${itemId}:${spec.limit}per${spec.intervalMs}ms`;
    return { set, pause: `${set}:pause` };
  };

  const track = (settle: Promise<unknown>): void => {
    const tracked = settle.catch(() => {
      // Redis away: the slot's lease (or its window, once released) frees it there
    });
    settling.add(tracked);
    void tracked.finally(() => settling.delete(tracked));
  };

  const permitFor = (itemId: string, window: Window, member: string): Permit => {
    let done = false;
    const settle = (hold: boolean): void => {
      if (done) return;
      done = true;
      open.delete(permit);
      const sent = connection.settle([window.set], [time(), member, hold ? '1' : '0', spec.intervalMs]);
      track(sent);
      // waiting calls learn at once when the slot frees (now, or a window from now)
      void sent.then(
        () => wakeNow(itemId),
        () => {},
      );
    };
    const permit: Permit = { release: () => settle(true), cancel: () => settle(false) };
    open.add(permit);
    return permit;
  };

  const ask = async (itemId: string, window: Window): Promise<Answer> => {
    const member = `${owner}:${counter++}`;
    try {
      const [granted, waitMs] = await connection.acquire(
        [window.set, window.pause],
        [time(), member, spec.limit, spec.intervalMs, inFlightLeaseMs],
      );
      if (granted === 1) return { granted: true, permit: permitFor(itemId, window, member) };
      return { granted: false, waitMs };
    } catch (error) {
      // The script may have run although its answer was lost: give back what it may have taken.
      track(connection.settle([window.set], [time(), member, '0', spec.intervalMs]));
      throw error;
    }
  };

  const leave = (waiter: Waiter): void => {
    waiter.request.onWaited?.({ perItem: true, waitedMs: clock.now() - waiter.joinedAt });
  };

  const queueOf = (itemId: string): Queue => {
    let queue = queues.get(itemId);
    if (!queue) {
      queue = { window: windowOf(itemId), waiters: [], asking: false, timer: undefined };
      queues.set(itemId, queue);
    }
    return queue;
  };

  const dropQueueIfEmpty = (itemId: string): void => {
    const queue = queues.get(itemId);
    if (!queue || queue.waiters.length > 0 || queue.asking) return;
    queue.timer?.cancel();
    queues.delete(itemId);
  };

  /** Sets the queue's timer for when its first call is worth asking for again, unless it has one or is asking. */
  const askAgainIn = (itemId: string, waitMs: number): void => {
    const queue = queueOf(itemId);
    if (queue.asking || queue.timer || closed) return;
    queue.timer = clock.setTimeout(() => pump(itemId), waitMs);
  };

  /** Asks Redis for the first waiter of an Item's queue; on to the next while slots are granted. */
  function pump(itemId: string): void {
    const queue = queues.get(itemId);
    if (!queue || queue.asking || closed) return;
    const first = queue.waiters[0];
    if (!first) {
      dropQueueIfEmpty(itemId);
      return;
    }
    queue.timer?.cancel();
    queue.timer = undefined;
    queue.asking = true;
    ask(itemId, queue.window).then(
      (answer) => {
        queue.asking = false;
        if (!answer.granted) {
          askAgainIn(itemId, answer.waitMs);
          return;
        }
        const index = queue.waiters.indexOf(first);
        if (closed || index < 0) {
          answer.permit.cancel(); // aborted (or closed) while Redis answered
        } else {
          queue.waiters.splice(index, 1);
          leave(first);
          first.resolve(answer.permit);
        }
        pump(itemId);
      },
      (error: unknown) => {
        queue.asking = false;
        // Redis did not answer: every call of this queue would wait on it; none hangs.
        for (const waiter of queue.waiters.splice(0)) {
          leave(waiter);
          waiter.reject(error);
        }
        dropQueueIfEmpty(itemId);
      },
    );
  }

  function wakeNow(itemId: string): void {
    const queue = queues.get(itemId);
    if (queue && !queue.asking && queue.waiters.length > 0) pump(itemId);
  }

  const wait = (itemId: string, request: AcquireRequest, joinedAt: number) =>
    new Promise<Permit>((resolve, reject) => {
      const { signal } = request;
      const onAbort = (): void => {
        const queue = queues.get(itemId);
        const index = queue ? queue.waiters.indexOf(waiter) : -1;
        if (!queue || index < 0) return;
        queue.waiters.splice(index, 1);
        leave(waiter);
        reject(signal?.reason);
        dropQueueIfEmpty(itemId);
      };
      const waiter: Waiter = { joinedAt, request, ...settlers(signal, onAbort, resolve, reject) };
      signal?.addEventListener('abort', onAbort, { once: true });
      queueOf(itemId).waiters.push(waiter);
    });

  return {
    async acquire(request) {
      const { signal, itemId } = request;
      signal?.throwIfAborted();
      if (closed) throw closedError();
      if (itemId === undefined) return noPermit;
      const joinedAt = clock.now();
      // calls already wait for this Item: this one goes behind them (first come, first served),
      // without asking Redis
      const waiting = queues.get(itemId)?.waiters;
      if (waiting && waiting.length > 0) {
        if (waiting.length >= maxQueued) throw queueFullError(label, maxQueued);
        return wait(itemId, request, joinedAt);
      }
      const answer = await ask(itemId, windowOf(itemId));
      if (answer.granted) {
        if (signal?.aborted || closed) {
          answer.permit.cancel();
          throw signal?.aborted ? signal.reason : closedError();
        }
        return answer.permit;
      }
      if (maxQueued === 0 || (queues.get(itemId)?.waiters.length ?? 0) >= maxQueued) {
        throw queueFullError(label, maxQueued);
      }
      if (signal?.aborted) throw signal.reason;
      if (closed) throw closedError();
      const queued = wait(itemId, request, joinedAt);
      askAgainIn(itemId, answer.waitMs);
      return queued;
    },

    pause({ itemId }) {
      if (closed || itemId === undefined) return;
      const ms = pauseMs(spec);
      track(connection.pause([windowOf(itemId).pause], [time(), ms, ms + spec.intervalMs]));
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
