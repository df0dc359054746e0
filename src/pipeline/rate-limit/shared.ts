import type { Clock, ClockTimer } from './clock.js';
import {
  type AcquireRequest,
  closedError,
  goesBefore,
  type Lane,
  type LaneSettings,
  type Limit,
  type LimitSpec,
  maxWaitOf,
  type Permit,
  queueFullError,
  settlers,
  waitExceededError,
} from './limit.js';
import type { RedisConnection } from './redis-connection.js';
import { ESTIMATED_POSITIONS } from './redis-scripts.js';
import { RedisWindows, type TakeAnswer, type TakenSlots } from './redis-windows.js';

/*
 * The limits of one endpoint shared through Redis (the windows: redis-windows.ts). A call that finds room
 * costs one take and one settle. Calls that must wait queue here, in this process: one line per
 * Item and one for the endpoint. Only the first of a line asks Redis again, when the script said
 * a slot frees (or a settle of this process freed one); when Redis says there is room for more,
 * as many more of the line ask at once, so a process far from Redis still fills the window.
 * Waiting costs no command while nothing frees, and no pub/sub.
 */

/** How one endpoint's limits are shared through Redis. */
export interface SharedLimitOptions {
  readonly connection: RedisConnection;
  /** Start of every key of this endpoint, e.g. `plaid-facade:production:/accounts/balance/get`. */
  readonly keyPrefix: string;
  /** The Plaid path, for messages. */
  readonly endpoint: string;
  readonly perEndpoint?: LimitSpec | undefined;
  readonly perItem?: LimitSpec | undefined;
  /** Calls that may wait in this process per line (the endpoint's, each Item's) and per lane. 0: never wait. */
  readonly maxQueued: number;
  readonly lanes?: LaneSettings | undefined;
  readonly clock: Clock;
  /** Given (tests): the clock's time in Redis too, instead of Redis's own clock. */
  readonly fakeTime?: boolean | undefined;
}

/** Asks a line may have in flight at once after Redis said there is room. */
const MAX_ASKS_IN_FLIGHT = 64;

interface Waiter {
  readonly itemId: string | undefined;
  readonly lane: Lane;
  readonly joinedAt: number;
  readonly request: AcquireRequest;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  asking: boolean;
  waitedForItem: boolean;
  deadline: ClockTimer | undefined;
  line: Line;
}

interface Line {
  readonly key: string;
  readonly label: string;
  readonly waiters: Waiter[];
  asking: number;
  timer: ClockTimer | undefined;
  timerAt: number;
  /** When the 1st, 2nd… call of the line may expect a slot (this clock), from Redis's last refusal. */
  estimates: number[];
  /** A lower bound for the calls beyond the estimates. */
  beyond: number;
}

const noPermit: Permit = { release: () => {}, cancel: () => {} };

/** Creates the `Limit` of one endpoint shared through Redis, or undefined when it has no window. */
export function createSharedLimit(options: SharedLimitOptions): Limit | undefined {
  const { perEndpoint, perItem, maxQueued, clock, endpoint } = options;
  if (!perEndpoint && !perItem) return undefined;
  const lanes = options.lanes ?? {};
  const windows = new RedisWindows({ ...options, lanes });
  const lines = new Map<string, Line>();
  const settling = new Set<Promise<unknown>>();
  /** Permits not yet settled: `close()` releases them (held for a window from then). */
  const open = new Set<Permit>();
  let closed = false;

  const lineKey = (perItemLine: boolean, itemId: string | undefined) => (perItemLine ? `item:${itemId}` : 'all');
  const lineOf = (perItemLine: boolean, itemId: string | undefined): Line => {
    const key = lineKey(perItemLine, itemId);
    let line = lines.get(key);
    if (!line) {
      const label = perItemLine ? `this Item's limit on ${endpoint}` : `the limit of ${endpoint}`;
      line = { key, label, waiters: [], asking: 0, timer: undefined, timerAt: 0, estimates: [], beyond: 0 };
      lines.set(key, line);
    }
    return line;
  };
  const dropIfIdle = (line: Line): void => {
    if (line.waiters.length > 0 || line.asking > 0) return;
    line.timer?.cancel();
    if (lines.get(line.key) === line) lines.delete(line.key);
  };
  /** Where a call of `lane` (that came at `joinedAt`) stands: behind every call that goes before it. */
  const positionIn = (line: Line, lane: Lane, joinedAt = Number.POSITIVE_INFINITY): number => {
    let index = 0;
    for (const waiter of line.waiters) {
      if (!goesBefore(waiter.lane, lane) || (waiter.lane === lane && waiter.joinedAt > joinedAt)) break;
      index += 1;
    }
    return index;
  };
  const expectedWait = (line: Line, position: number): number =>
    Math.max(0, (line.estimates[position] ?? line.beyond) - clock.now());
  const learn = (line: Line, answer: Extract<TakeAnswer, { granted: false }>, spec: LimitSpec | undefined) => {
    const now = clock.now();
    line.estimates = answer.estimates.map((ms) => now + ms);
    const last = line.estimates[line.estimates.length - 1] ?? now + answer.waitMs;
    // a slot nobody holds yet frees no sooner than a window after it is taken
    line.beyond = answer.estimates.length < ESTIMATED_POSITIONS && spec ? Math.max(last, now + spec.intervalMs) : last;
  };
  const leave = (waiter: Waiter): void => {
    waiter.deadline?.cancel();
    const waitedMs = clock.now() - waiter.joinedAt;
    waiter.request.onWaited?.({ perItem: waiter.waitedForItem, waitedMs });
  };
  const remove = (waiter: Waiter): boolean => {
    const index = waiter.line.waiters.indexOf(waiter);
    if (index < 0) return false;
    waiter.line.waiters.splice(index, 1);
    return true;
  };

  const track = (done: Promise<unknown>): void => {
    const tracked = done.catch(() => {
      // Redis away: kept and sent again by the connection, or left to the lease
    });
    settling.add(tracked);
    void tracked.finally(() => settling.delete(tracked));
  };

  const permitFor = (itemId: string | undefined, slots: TakenSlots): Permit => {
    let done = false;
    const settle = (hold: boolean): void => {
      if (done) return;
      done = true;
      open.delete(permit);
      const sent = slots.settle(hold);
      track(sent);
      void sent.then(() => wake(itemId, hold));
    };
    const permit: Permit = { release: () => settle(true), cancel: () => settle(false) };
    open.add(permit);
    return permit;
  };

  /** A settle of this process: a freed slot (cancel) lets the lines ask now; a held one, when no timer is due. */
  function wake(itemId: string | undefined, held: boolean): void {
    for (const line of [lines.get(lineKey(true, itemId)), lines.get('all')]) {
      if (!line || line.asking > 0 || line.waiters.length === 0) continue;
      if (!held || !line.timer) pump(line, 1);
    }
  }

  /** Asks Redis again for the line at `ms` from now, unless it asks sooner already. */
  function arm(line: Line, ms: number): void {
    if (closed || line.asking > 0) return;
    const at = clock.now() + ms;
    if (line.timer && line.timerAt <= at) return;
    line.timer?.cancel();
    line.timerAt = at;
    line.timer = clock.setTimeout(() => {
      line.timer = undefined;
      pump(line, 1);
    }, ms);
  }

  /** Lets the line's first calls ask Redis, until `inFlight` asks are on their way. */
  function pump(line: Line, inFlight: number): void {
    if (closed) return;
    line.timer?.cancel();
    line.timer = undefined;
    for (const waiter of line.waiters) {
      if (line.asking >= inFlight) break;
      if (!waiter.asking) ask(line, waiter);
    }
    dropIfIdle(line);
  }

  function ask(line: Line, waiter: Waiter): void {
    waiter.asking = true;
    line.asking += 1;
    const spec = (perItemLine: boolean) => (perItemLine ? perItem : perEndpoint);
    windows.take(windows.windowsOf(waiter.itemId), waiter.lane, waiter.request.timeoutMs, true).then(
      (answer) => {
        line.asking -= 1;
        waiter.asking = false;
        const inLine = waiter.line === line && line.waiters.includes(waiter);
        if (answer.granted) {
          if (!inLine || closed) {
            track(answer.slots.settle(false)); // it left (aborted, timed out, closed) while Redis answered
          } else {
            remove(waiter);
            line.estimates.shift();
            leave(waiter);
            waiter.resolve(permitFor(waiter.itemId, answer.slots));
          }
          if (answer.room > 0) pump(line, line.asking + Math.min(answer.room, MAX_ASKS_IN_FLIGHT));
          else if (line.waiters.length > 0) arm(line, answer.nextFreeMs);
          dropIfIdle(line);
          return;
        }
        const target = lineOf(answer.perItem, waiter.itemId);
        learn(target, answer, spec(answer.perItem));
        if (inLine && target !== line) {
          // the other window is full: the call waits in that one's line, in the order it came
          remove(waiter);
          waiter.line = target;
          if (answer.perItem) waiter.waitedForItem = true;
          target.waiters.splice(positionIn(target, waiter.lane, waiter.joinedAt), 0, waiter);
          arm(target, answer.waitMs);
        }
        if (line.waiters.length > 0) arm(line, answer.waitMs);
        dropIfIdle(line);
      },
      (error: unknown) => {
        line.asking -= 1;
        waiter.asking = false;
        // Redis did not answer: every call of this line would wait on it; none hangs.
        for (const failed of line.waiters.splice(0)) {
          leave(failed);
          failed.reject(error);
        }
        dropIfIdle(line);
      },
    );
  }

  /** Puts a call in `line` (after the checks of maxQueued and maxWaitMs). */
  function join(line: Line, request: AcquireRequest, lane: Lane, joinedAt: number, itemId: string | undefined) {
    if (line.waiters.filter((waiter) => waiter.lane === lane).length >= maxQueued) {
      return Promise.reject(queueFullError(line.label, maxQueued));
    }
    const bound = maxWaitOf(lane, lanes);
    const waitedMs = clock.now() - joinedAt;
    if (bound !== undefined) {
      const expected = expectedWait(line, positionIn(line, lane));
      if (waitedMs + expected > bound) return Promise.reject(waitExceededError(line.label, bound, expected));
    }
    return new Promise<Permit>((resolve, reject) => {
      const { signal } = request;
      const onAbort = (): void => {
        if (!remove(waiter)) return;
        leave(waiter);
        waiter.reject(signal?.reason);
        dropIfIdle(waiter.line);
      };
      const waiter: Waiter = {
        itemId,
        lane,
        joinedAt,
        request,
        ...settlers(signal, onAbort, resolve, reject),
        asking: false,
        waitedForItem: line.key !== 'all',
        deadline: undefined,
        line,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      line.waiters.splice(positionIn(line, lane), 0, waiter);
      if (bound !== undefined) {
        // the estimate is a lower bound (slots in flight, other processes): the bound holds whatever it said
        waiter.deadline = clock.setTimeout(() => {
          if (!remove(waiter)) return;
          const expected = expectedWait(waiter.line, positionIn(waiter.line, lane));
          leave(waiter);
          waiter.reject(waitExceededError(waiter.line.label, bound, expected));
          dropIfIdle(waiter.line);
        }, bound - waitedMs);
      }
    });
  }

  return {
    async acquire(request) {
      const { signal } = request;
      signal?.throwIfAborted();
      if (closed) throw closedError();
      const lane = request.lane ?? 'interactive';
      const itemId = perItem ? request.itemId : undefined;
      if (!perEndpoint && itemId === undefined) return noPermit;
      const joinedAt = clock.now();
      // calls of its lane (or any, for a background call) already wait: it goes behind them, without asking Redis
      const waiting = [itemId === undefined ? undefined : lines.get(lineKey(true, itemId)), lines.get('all')].find(
        (line) => line !== undefined && positionIn(line, lane) > 0,
      );
      if (waiting) return join(waiting, request, lane, joinedAt, itemId);
      const answer = await windows.take(windows.windowsOf(itemId), lane, request.timeoutMs);
      if (answer.granted) {
        if (signal?.aborted || closed) {
          track(answer.slots.settle(false));
          throw signal?.aborted ? signal.reason : closedError();
        }
        return permitFor(itemId, answer.slots);
      }
      signal?.throwIfAborted();
      if (closed) throw closedError();
      const line = lineOf(answer.perItem, itemId);
      learn(line, answer, answer.perItem ? perItem : perEndpoint);
      const joined = join(line, request, lane, joinedAt, itemId);
      arm(line, answer.waitMs);
      dropIfIdle(line); // refused at once: nobody waits
      return joined;
    },

    pause({ itemId }) {
      if (closed) return;
      const paused = windows.pause(perItem ? itemId : undefined);
      if (paused) track(paused);
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = closedError();
      for (const line of lines.values()) {
        line.timer?.cancel();
        for (const waiter of line.waiters.splice(0)) {
          leave(waiter);
          waiter.reject(error);
        }
      }
      lines.clear();
      // Calls still in flight: their slots are held for a window from now, as if they had settled,
      // rather than left to the lease when this connection goes.
      for (const permit of [...open]) permit.release();
      // Settles sent finish (each bounded by timeoutMs): Redis then frees those slots on time.
      await Promise.all([...settling]);
    },
  };
}
