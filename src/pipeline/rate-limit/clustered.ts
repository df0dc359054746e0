import { randomUUID } from 'node:crypto';
import { RateLimiterError } from '../../errors.js';
import type { Clock, ClockTimer } from './clock.js';
import type { ClusteredConnection } from './clustered-connection.js';
import { ClusteredEngine, isLostKeys } from './clustered-engine.js';
import { Holds } from './clustered-holds.js';
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
import { redisUnavailable } from './redis-connection.js';

/*
 * An endpoint's client-wide window shared through Redis, on bottleneck's clustering: one engine
 * (a bottleneck limiter) per endpoint with `maxConcurrent: limit` across every process that uses
 * the same id. A call's slot is a bottleneck job that runs from the grant until `intervalMs`
 * after the call's answer came back, so the window is arrival-safe like every other.
 *
 * bottleneck cannot take a job out of its queue, does not say when a job found no room, and
 * hands capacity between processes through pub/sub, which now and then loses it (its issue #194).
 * So the line is kept here: calls wait in this process's FIFO (an abort splices its call out),
 * and this process has at most one job waiting in bottleneck, whose slot goes to whichever call is
 * first when it runs. While that job waits, a watchdog asks Redis whether there is room: no answer
 * within `timeoutMs` fails the line with `RATE_LIMIT_REDIS_UNAVAILABLE`; room means a hand-over
 * was lost, and the line is nudged. Keys lost in Redis (`SETTINGS_KEY_NOT_FOUND`) are recreated
 * by a new engine, transparently.
 */

/** How one endpoint's window is shared. */
export interface ClusteredLimitOptions {
  readonly connection: ClusteredConnection;
  /** The engine's id, shared by every process that shares the window. */
  readonly id: string;
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  readonly spec: LimitSpec;
  /** Calls that may wait in this process. 0: never wait. */
  readonly maxQueued: number;
  readonly clock: Clock;
}

/**
 * How long Redis keeps the slot of a job still running, should its process die or close first
 * (bottleneck's `expiration`), for a call that does not say how long it may take.
 */
const defaultLeaseMs = 10 * 60_000;

interface Waiter {
  readonly joinedAt: number;
  readonly request: AcquireRequest;
  /** Known to wait (it counts against `maxQueued`, and its wait is reported). */
  queued: boolean;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
}

/** This process's job in bottleneck's queue, asking for the next slot. */
interface Ask {
  readonly id: string;
  /** bottleneck tried and found no room (so far). */
  noRoom: boolean;
  /** A slot of this process was freed while it waited, or the job was registered: it is about to run or be tried again. */
  retrying: boolean;
  granted: boolean;
  faultTimer: ClockTimer | undefined;
}

/** Creates the `Limit` of an endpoint's client-wide window, shared through bottleneck's clustering. */
export function createClusteredLimit(options: ClusteredLimitOptions): Limit {
  const { connection, spec, maxQueued, clock } = options;
  const label = `the limit of ${options.endpoint}`;
  // Redis is asked about a waiting job at least once a window (and at most ten times a second)
  const watchMs = Math.min(Math.max(pauseMs(spec), 100), spec.intervalMs, 1_000);
  const owner = randomUUID();
  let counter = 0;
  let closed = false;
  let ask: Ask | undefined;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let pauseTimer: ClockTimer | undefined;
  let watchdog: ClockTimer | undefined;
  const line: Waiter[] = [];
  const holds = new Holds(clock, spec.intervalMs);
  // Slots still held when the connection closes stay taken in Redis until their lease ends;
  // their jobs end here, so that bottleneck's timers do not keep the process alive.
  connection.whenClosed(() => holds.endAll());

  connection.track(() => (ask && !ask.granted && (!ask.noRoom || ask.retrying) ? 1 : 0) + holds.beingFreed);

  // A call queued behind one whose slot frees at the same moment did not wait: nothing to report.
  const report = (waiter: Waiter): void => {
    const waitedMs = clock.now() - waiter.joinedAt;
    if (waiter.queued && waitedMs > 0) waiter.request.onWaited?.({ perItem: false, waitedMs });
  };

  /** Fails every waiting call: Redis does not answer (or answers with errors). */
  const fault = (error: unknown): void => {
    const typed =
      error instanceof RateLimiterError
        ? error
        : redisUnavailable(error instanceof Error ? error.message : String(error), undefined, connection.timeoutMs);
    if (ask) ask.faultTimer?.cancel();
    ask = undefined;
    watchdog?.cancel();
    watchdog = undefined;
    for (const waiter of line.splice(0)) {
      report(waiter);
      waiter.reject(typed);
    }
    engine.reset();
  };

  /** bottleneck tried the waiting job and found no room: the calls in line are now known to wait. */
  const onNoRoom = (job: Ask): void => {
    job.faultTimer?.cancel();
    job.faultTimer = undefined;
    if (job.noRoom) return;
    job.noRoom = true;
    markQueued();
    watch();
  };

  /** Calls in line that were not yet known to wait now are; those beyond `maxQueued` are refused. */
  const markQueued = (): void => {
    let queued = 0;
    for (const waiter of [...line]) {
      if (waiter.queued) {
        queued += 1;
      } else if (queued >= maxQueued) {
        line.splice(line.indexOf(waiter), 1);
        waiter.reject(queueFullError(label, maxQueued));
      } else {
        waiter.queued = true;
        queued += 1;
      }
    }
  };

  const engine = new ClusteredEngine(
    connection,
    { id: options.id, limit: spec.limit },
    {
      freed(id) {
        holds.freed(id);
        if (ask?.noRoom) ask.retrying = true;
      },
      drained(id, registered) {
        if (ask?.id !== id) return;
        // registered: bottleneck runs the job on its next timer; else it found no room
        ask.retrying = registered;
        if (!registered) onNoRoom(ask);
      },
      // Another process heard a 429: pause here too (a process that misses it pauses on its own 429).
      message(text) {
        const ms = /^pause:(\d+)$/.exec(text)?.[1];
        if (ms !== undefined) pauseFor(Number(ms));
      },
      failed(error) {
        if (closed) return;
        if (isLostKeys(error)) renew();
        else if (ask && !ask.granted) {
          fault(error); // a call waits on an engine that cannot reach Redis
        }
      },
    },
  );

  /** Redis lost the engine's keys: a new engine recreates them, and the waiting calls go on. */
  function renew(): void {
    ask?.faultTimer?.cancel();
    ask = undefined;
    engine.reset();
    pump();
  }

  /** bottleneck runs the job: the slot is this process's; the first call in line gets it. */
  const granted = (job: Ask): Promise<void> => {
    job.granted = true;
    job.faultTimer?.cancel();
    if (ask === job) ask = undefined;
    watchdog?.cancel();
    watchdog = undefined;
    const waiter = line.shift();
    if (!waiter || closed) {
      holds.endingNow(job.id);
      queueMicrotask(pump);
      return Promise.resolve(); // nobody left to use it (aborted, closed): free at once
    }
    return new Promise<void>((endHold) => {
      report(waiter);
      waiter.resolve(holds.permit(job.id, endHold));
      pump();
    });
  };

  /** Puts one job in bottleneck's queue for the first call in line, unless one is there already. */
  function pump(): void {
    if (closed || ask || line.length === 0) return;
    const wait = pausedUntil - clock.now();
    if (wait > 0) {
      markQueued();
      pauseTimer ??= clock.setTimeout(() => {
        pauseTimer = undefined;
        pump();
      }, wait);
      return;
    }
    const id = `${owner}:${counter++}`;
    const job: Ask = {
      id,
      noRoom: false,
      retrying: false,
      granted: false,
      faultTimer: undefined,
    };
    ask = job;
    // Redis must say within timeoutMs whether there is room (bottleneck's own wait is unbounded)
    job.faultTimer = clock.setTimeout(() => {
      if (ask === job && !job.granted && !job.noRoom)
        fault(redisUnavailable(`no answer within ${connection.timeoutMs} ms (rateLimit.redis.timeoutMs)`));
    }, connection.timeoutMs);
    engine
      .get()
      .then((created) => {
        if (ask !== job) return undefined; // failed or closed meanwhile
        // the slot outlives the call's answer by a window; it may outlive the process by as much
        const lease = spec.intervalMs + (line[0]?.request.timeoutMs ?? defaultLeaseMs) + 1_000;
        return created.schedule({ id, expiration: lease }, () => granted(job));
      })
      .then(
        () => {},
        (error: unknown) => {
          if (job.granted || ask !== job) return; // expired after its hold, or dropped by a reset
          if (isLostKeys(error)) renew();
          else fault(error);
        },
      );
  }

  /** While a job waits in bottleneck, checks Redis every `watchMs`. */
  function watch(): void {
    if (watchdog || closed) return;
    watchdog = clock.setTimeout(() => {
      watchdog = undefined;
      const job = ask;
      // while `ask` is this job, the engine is the one it waits in (a reset drops both)
      const current = engine.current;
      if (!job || job.granted || closed || !current) return;
      connection
        .run(() => current.check(1), 'a check')
        .then(
          (room) => {
            if (ask !== job || job.granted) return;
            job.retrying = false;
            // room while the job waits: a hand-over was lost. A no-op job's submission drains the
            // queue, the waiting job first (bottleneck drains in priority order).
            if (room)
              void connection
                .run(() => current.schedule({ priority: 9, weight: 0 }, async () => {}), 'a nudge')
                .catch(() => {});
            watch();
          },
          (error: unknown) => {
            if (ask === job) fault(error);
          },
        );
    }, watchMs);
  }

  function pauseFor(ms: number): void {
    pausedUntil = Math.max(pausedUntil, clock.now() + ms);
  }

  return {
    acquire(request) {
      const { signal } = request;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (closed) return Promise.reject(closedError());
      return new Promise<Permit>((resolve, reject) => {
        const queued = line.filter((waiter) => waiter.queued).length;
        const mustWait = queued > 0 || ask?.noRoom === true || pausedUntil > clock.now();
        if (mustWait && queued >= maxQueued) {
          reject(queueFullError(label, maxQueued));
          return;
        }
        const onAbort = (): void => {
          const index = line.indexOf(waiter);
          if (index < 0) return;
          line.splice(index, 1);
          report(waiter);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          joinedAt: clock.now(),
          request,
          queued: mustWait,
          ...settlers(signal, onAbort, resolve, reject),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        line.push(waiter);
        pump();
      });
    },

    pause() {
      if (closed) return;
      const ms = pauseMs(spec);
      pauseFor(ms);
      // every other process sharing the window pauses too
      const engineNow = engine.current;
      if (engineNow) void connection.run(() => engineNow.publish(`pause:${ms}`), 'a publish').catch(() => {});
    },

    async close() {
      if (closed) return;
      closed = true;
      pauseTimer?.cancel();
      watchdog?.cancel();
      ask?.faultTimer?.cancel();
      ask = undefined;
      const error = closedError();
      for (const waiter of line.splice(0)) {
        report(waiter);
        waiter.reject(error);
      }
      // Calls in flight keep their slots a window from now, as if they had settled. A slot whose
      // hold ends within timeoutMs is freed then, before close() returns; the others are freed by
      // Redis when their lease ends (the call's timeout plus a window after its grant).
      holds.releaseAll();
      await holds.whenFreed(connection.timeoutMs);
      engine.reset();
    },
  };
}
