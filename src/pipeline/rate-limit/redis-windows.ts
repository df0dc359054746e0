import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { type Lane, type LaneSettings, type LimitSpec, laneLimit, pauseMs } from './limit.js';
import type { RedisConnection } from './redis-connection.js';

/*
 * The shared windows of one endpoint in Redis, on the library's own Lua scripts (redis-scripts.ts):
 * the endpoint's window and each Item's. On a single Redis one script takes a call's slots in both
 * windows at once (one round trip) and one settles them (one more). On a Redis Cluster each window
 * lives in a hash slot of its own — the endpoint's, and each Item's (a hash tag per Item, so Item
 * windows spread over the masters) — so the Item's slot is taken first, then the endpoint's, and
 * the Item's is given back at once when the endpoint's is refused or fails: no slot leaks.
 *
 * Keys (`keyPrefix` is `<prefix>:<environment>:<Plaid path>`):
 *   endpoint  {<keyPrefix>}:all:<limit>per<interval>ms        (+ `:pause`, `:waiting`)
 *   Item      {<keyPrefix>:item:<itemId>}:<limit>per<interval>ms  (+ `:pause`, `:waiting`)
 */

/** One window in Redis: its sorted set, its pause key and its spec. */
export interface SharedWindow {
  readonly set: string;
  readonly pause: string;
  /** The lines (one per process) waiting for a slot of this window, for their turns. */
  readonly waiting: string;
  readonly spec: LimitSpec;
  readonly perItem: boolean;
}

/** A call's slots, taken: settle them once. */
export interface TakenSlots {
  /** Holds them a window from now (`true`) or frees them now; resolves true once Redis acknowledged it (else it is sent again later). */
  settle(hold: boolean): Promise<boolean>;
}

/** What Redis said to a take. */
export type TakeAnswer =
  | { readonly granted: true; readonly slots: TakenSlots; readonly room: number; readonly nextFreeMs: number }
  | {
      readonly granted: false;
      /** When a slot frees (or a lower bound): worth asking again then. */
      readonly waitMs: number;
      /** Whether the Item's window refused (else the endpoint's). */
      readonly perItem: boolean;
      /** The waits of the 1st, 2nd… call in line for the window that refused, as far as known (lower bounds). */
      readonly estimates: readonly number[];
    };

/** How one endpoint's shared windows are set up. */
export interface RedisWindowsOptions {
  readonly connection: RedisConnection;
  /** Start of every key of this endpoint, e.g. `plaid-facade:production:/accounts/balance/get`. */
  readonly keyPrefix: string;
  readonly perEndpoint?: LimitSpec | undefined;
  readonly perItem?: LimitSpec | undefined;
  readonly lanes?: LaneSettings | undefined;
  /** The clock settles are aged with. */
  readonly clock: Clock;
  /** Given (tests): this clock's time in Redis too, instead of Redis's own clock. */
  readonly fakeTime?: boolean | undefined;
}

/** A call's lease when it names no timeout: Redis frees its slots this long plus a window after the take. */
const DEFAULT_CALL_MS = 60_000;
/** Beyond the call's timeout, for the time between the take and the request (retry gates, parsing). */
const LEASE_MARGIN_MS = 5_000;

/** The shared windows of one endpoint. */
export class RedisWindows {
  private readonly owner = randomUUID();
  private counter = 0;
  private readonly endpointWindow: SharedWindow | undefined;
  /** Settles once the last take begun has sent its endpoint command (Cluster only). */
  private endpointTurn: Promise<void> = Promise.resolve();

  constructor(private readonly options: RedisWindowsOptions) {
    const { perEndpoint, keyPrefix } = options;
    this.endpointWindow = perEndpoint && windowAt(`{${keyPrefix}}:all`, perEndpoint, false);
  }

  /** The windows of a call: its Item's (when the endpoint has them and it names one), then the endpoint's. */
  windowsOf(itemId: string | undefined): SharedWindow[] {
    const { perItem, keyPrefix } = this.options;
    const windows: SharedWindow[] = [];
    if (perItem && itemId !== undefined) windows.push(windowAt(`{${keyPrefix}:item:${itemId}}`, perItem, true));
    if (this.endpointWindow) windows.push(this.endpointWindow);
    return windows;
  }

  /**
   * Takes a slot in every window of the call, or none. Rejects with `RATE_LIMIT_REDIS_UNAVAILABLE`
   * when Redis does not answer; whatever the script may have taken is then given back. `inLine`:
   * the call waits in this process's line, which takes its turn among the waiting processes (a
   * call asking on arrival may not wait at all, and takes no turn).
   */
  async take(windows: SharedWindow[], lane: Lane, timeoutMs: number | undefined, inLine = false): Promise<TakeAnswer> {
    const member = `${this.owner}:${this.counter++}`;
    const leaseMs = (timeoutMs ?? DEFAULT_CALL_MS) + LEASE_MARGIN_MS;
    const argsOf = (window: SharedWindow) => [
      laneLimit(window.spec, lane, this.options.lanes ?? {}),
      window.spec.intervalMs,
      leaseMs + window.spec.intervalMs,
    ];
    if (!this.options.connection.isCluster) {
      return this.takeIn(windows, member, windows.flatMap(argsOf), windows, inLine);
    }
    // Cluster: one window per command (their keys live in different hash slots), the Item's first.
    // The endpoint's takes leave in the order the calls came (one master answers them in that
    // order), whichever Item answered first.
    const previousTurn = this.endpointTurn;
    let endTurn: () => void = () => {};
    this.endpointTurn = new Promise<void>((resolve) => {
      endTurn = resolve;
    });
    const taken: SharedWindow[] = [];
    let room = Number.POSITIVE_INFINITY;
    let nextFreeMs = 0;
    try {
      for (const window of windows) {
        let answer: TakeAnswer;
        try {
          if (window.perItem) answer = await this.takeIn([window], member, argsOf(window), [...taken, window], inLine);
          else {
            await previousTurn;
            const sent = this.takeIn([window], member, argsOf(window), [...taken, window], inLine);
            endTurn();
            answer = await sent;
          }
        } catch (error) {
          if (taken.length > 0) void this.slotsOf(member, taken).settle(false);
          throw error;
        }
        if (!answer.granted) {
          if (taken.length > 0) void this.slotsOf(member, taken).settle(false);
          return answer;
        }
        taken.push(window);
        room = Math.min(room, answer.room);
        nextFreeMs = Math.max(nextFreeMs, answer.nextFreeMs);
      }
    } finally {
      endTurn();
    }
    return { granted: true, slots: this.slotsOf(member, taken), room, nextFreeMs };
  }

  /** Plaid answered 429: pauses the Item's window (or the endpoint's) for one call's share of it. */
  pause(itemId: string | undefined): Promise<unknown> | undefined {
    const window = itemId === undefined ? this.endpointWindow : this.windowsOf(itemId)[0];
    if (!window) return undefined;
    const ms = pauseMs(window.spec);
    return this.options.connection.pause([window.pause], [this.time(), ms, ms + window.spec.intervalMs]);
  }

  /** One acquire script over `windows`; on no answer, the slots it may have taken in `owned` are given back. */
  private async takeIn(
    windows: SharedWindow[],
    member: string,
    windowArgs: Array<string | number>,
    owned: SharedWindow[],
    inLine: boolean,
  ): Promise<TakeAnswer> {
    let reply: number[];
    try {
      reply = await this.options.connection.acquire(
        windows.flatMap((window) => [window.set, window.pause, window.waiting]),
        [this.time(), member, inLine ? this.owner : '', ...windowArgs],
      );
    } catch (error) {
      // The script may have run although its answer was lost: give back what it may have taken.
      void this.slotsOf(member, owned).settle(false);
      throw error;
    }
    const [granted = 0, first = 0, second = 0, ...rest] = reply.map(Number);
    if (granted === 1) return { granted: true, slots: this.slotsOf(member, windows), room: first, nextFreeMs: second };
    const refusing = windows[second - 1] ?? windows[0];
    return { granted: false, waitMs: Math.max(1, first), perItem: refusing?.perItem === true, estimates: rest };
  }

  /** The settle of one call's slots: one script on a single Redis, one per window on a Cluster. */
  private slotsOf(member: string, windows: SharedWindow[]): TakenSlots {
    const { connection, clock } = this.options;
    return {
      settle: async (hold) => {
        const settledAt = clock.now();
        const groups = connection.isCluster ? windows.map((window) => [window]) : [windows];
        const acknowledged = await Promise.all(
          groups.map((group) =>
            connection.settleSlot(`${member}|${group.map((window) => window.set).join('|')}`, {
              keys: group.map((window) => window.set),
              args: () => [
                this.time(),
                member,
                hold ? '1' : '0',
                Math.max(0, Math.round(clock.now() - settledAt)),
                ...group.map((window) => window.spec.intervalMs),
              ],
            }),
          ),
        );
        return acknowledged.every(Boolean);
      },
    };
  }

  private time(): string | number {
    return this.options.fakeTime ? Math.round(this.options.clock.now()) : '';
  }
}

function windowAt(base: string, spec: LimitSpec, perItem: boolean): SharedWindow {
  const set = `${base}:${spec.limit}per${spec.intervalMs}ms`;
  return { set, pause: `${set}:pause`, waiting: `${set}:waiting`, spec, perItem };
}
