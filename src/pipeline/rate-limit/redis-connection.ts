import { RateLimiterError } from '../../errors.js';
import { acquireScript, pauseScript, settleScript } from './redis-scripts.js';
import { type PendingSettle, SettleBacklog } from './settle-backlog.js';

/** The parts of an ioredis client the shared limits use, on a duplicate of the user's client. */
export interface ScriptClient {
  readonly status: string;
  defineCommand(name: string, definition: { lua: string }): void;
  once(event: 'ready', listener: () => void): unknown;
  /** `SCRIPT LOAD` (ioredis' `script`). */
  script(subcommand: 'LOAD', lua: string): Promise<unknown>;
  /** A Cluster's connections to its nodes (ioredis' `Cluster#nodes`). */
  nodes?(role: 'master'): Array<{ script(subcommand: 'LOAD', lua: string): Promise<unknown> }>;
  on(event: 'error' | 'ready', listener: (error: unknown) => void): unknown;
  ping(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * A client the user passes: an ioredis `Redis` (`duplicate(options)`) or `Cluster`
 * (`isCluster: true`, `duplicate(startupNodes, options)`), which the limiter duplicates.
 */
export interface DuplicableClient {
  duplicate(...args: never[]): unknown;
  readonly isCluster?: boolean | undefined;
  readonly options?: unknown;
}

/** Reconnect at least once a second, so calls succeed again soon after Redis is back. */
const reconnectSoon = (times: number): number => Math.min(50 * times, 1_000);

/** How the limiter's own connections (duplicates of the user's client) are set up. */
export const ownConnectionOptions = {
  lazyConnect: false,
  // No offline queue: a command sent while Redis is away fails at once instead of running
  // minutes later and taking a slot nobody uses.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  // keep reconnecting, at least once a second, so calls succeed again soon after Redis is back
  retryStrategy: reconnectSoon,
} as const;

/**
 * The limiter's own connection: `duplicate(options)` of a `Redis`; of a `Cluster`,
 * `duplicate([], options)` (its first argument is start-up nodes: `[]` keeps the user's), with the
 * per-node options merged over the user's (a shallow merge would drop their password or TLS).
 */
export function duplicateForLimiter(user: DuplicableClient): unknown {
  const duplicate = user.duplicate as unknown as (...args: unknown[]) => unknown;
  if (user.isCluster !== true) return duplicate.call(user, ownConnectionOptions);
  const userRedisOptions = (user.options as { redisOptions?: Record<string, unknown> } | undefined)?.redisOptions;
  return duplicate.call(user, [], {
    lazyConnect: false,
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectSoon,
    // Each master's connection opens on its first command and keeps ioredis' queue while it does, so
    // commands to one slot stay in order; the Cluster's own queue is off, and every command is bounded.
    redisOptions: { ...userRedisOptions, maxRetriesPerRequest: 0 },
  });
}

/**
 * `operation`, failing with `RateLimiterError` `RATE_LIMIT_REDIS_UNAVAILABLE` (see `redisUnavailable`) when it
 * fails or takes longer than `timeoutMs`: never a hang, never a raw ioredis error.
 */
export function boundedRedis<T>(
  operation: Promise<T>,
  what: string,
  timeoutMs: number,
  lastError: string | undefined,
  leftMs = timeoutMs,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(redisUnavailable(`no answer for ${what} within ${timeoutMs} ms (rateLimit.redis.timeoutMs)`, lastError)),
      Math.max(1, leftMs),
    );
  });
  return Promise.race([
    operation.catch((error: unknown) => {
      throw redisUnavailable(error instanceof Error ? error.message : String(error), lastError, timeoutMs);
    }),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/**
 * The limiter's failure when Redis does not answer: typed, and retryable by you, not by the facade
 * (the call was not sent; its row in the table `classify.ts` owns, `errors/retryable.ts`).
 */
export function redisUnavailable(detail: string, lastError?: string, timeoutMs?: number): RateLimiterError {
  if (detail === 'Command timed out' && timeoutMs !== undefined) {
    // ioredis' commandTimeout (bottleneck's connection): say which bound it was
    detail = `no answer for a command within ${timeoutMs} ms (rateLimit.redis.timeoutMs)`;
  }
  const last = lastError && !detail.includes(lastError) ? `; last connection error: ${lastError}` : '';
  return new RateLimiterError(`Rate limiting: Redis unavailable (${detail}${last}). The call was not sent.`, {
    code: 'RATE_LIMIT_REDIS_UNAVAILABLE',
  });
}

type Script = (numberOfKeys: number, ...args: Array<string | number>) => Promise<unknown>;

/**
 * The limiter's own Redis connection: every operation bounded by `timeoutMs`, failing with
 * `RateLimiterError` `RATE_LIMIT_REDIS_UNAVAILABLE` (see `redisUnavailable`) instead of hanging or surfacing a
 * raw ioredis error.
 */
export class RedisConnection {
  private readonly client: ScriptClient;
  private lastError: string | undefined;
  private whenReady: Promise<void> | undefined;
  /** The scripts being loaded on every master since the connection was last ready. */
  private loading: Promise<void> | undefined;
  private running = 0;
  private sent = 0;
  /** Whether the user's client is a Redis Cluster: each window then needs a command of its own. */
  readonly isCluster: boolean;
  /** The settles Redis did not acknowledge, sent again as soon as it answers. */
  readonly backlog: SettleBacklog;

  /**
   * @param user the user's ioredis client (`Redis` or `Cluster`): only duplicated, never used for commands nor closed
   * @param timeoutMs the bound of every operation, waiting for the connection included
   */
  constructor(
    user: DuplicableClient,
    readonly timeoutMs: number,
  ) {
    this.isCluster = user.isCluster === true;
    this.client = duplicateForLimiter(user) as ScriptClient;
    this.backlog = new SettleBacklog((settle) => this.settle(settle.keys, settle.args()));
    this.client.on('error', (error) => {
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    this.client.on('ready', () => {
      this.loading = this.loadScripts();
      // back after an outage: the settles it missed go first
      void this.loading.then(() => this.backlog.kick());
    });
    this.client.defineCommand('plaidFacadeAcquire', { lua: acquireScript });
    this.client.defineCommand('plaidFacadeSettle', { lua: settleScript });
    this.client.defineCommand('plaidFacadePause', { lua: pauseScript });
  }

  /** Runs the acquire script (see redis-scripts.ts). */
  acquire(keys: string[], args: Array<string | number>): Promise<number[]> {
    return this.run('plaidFacadeAcquire', keys, args) as Promise<number[]>;
  }

  /** Runs the settle script. */
  settle(keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.run('plaidFacadeSettle', keys, args);
  }

  /**
   * Runs the settle script for one slot, and keeps it to send again if Redis does not acknowledge
   * it (`id`: the slot's member and keys). Resolves true once acknowledged, false when kept.
   */
  settleSlot(id: string, settle: PendingSettle): Promise<boolean> {
    return this.backlog.settle(id, settle);
  }

  /** Runs the pause script. */
  pause(keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.run('plaidFacadePause', keys, args);
  }

  /**
   * One round trip on this connection, bounded like every operation. Redis answers a connection's
   * commands in order, so every command sent before it has been answered by then (tests use it).
   */
  async roundTrip(): Promise<void> {
    await this.ready();
    await this.bounded(this.client.ping(), 'a ping');
  }

  /** Closes the connection: politely if Redis answers within `timeoutMs`, else at once. */
  async close(): Promise<void> {
    try {
      // the settles Redis missed, once more: their slots then free on time rather than at their lease
      await this.backlog.flush().catch(() => {});
      this.backlog.close();
      await this.bounded(this.client.quit(), 'closing');
    } catch {
      // Redis away: nothing to say goodbye to
    } finally {
      this.client.disconnect();
    }
  }

  /** Scripts sent so far, answered or not (tests and benches count round trips with it). */
  get commands(): number {
    return this.sent;
  }

  /** The connection's state as ioredis reports it (`'ready'` when commands can be sent). */
  get status(): string {
    return this.client.status;
  }

  /** Scripts sent and not yet answered (tests wait for 0 before they move a fake clock). */
  get inFlight(): number {
    return this.running;
  }

  private async run(name: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    this.running += 1;
    this.sent += 1;
    try {
      const startedAt = performance.now();
      await this.ready();
      const script = (this.client as unknown as Record<string, Script>)[name] as Script;
      const left = this.timeoutMs - (performance.now() - startedAt);
      const answer = await this.bounded(script.call(this.client, keys.length, ...keys, ...args), 'a command', left);
      this.backlog.kick(); // Redis answers again: what it missed goes now
      return answer;
    } finally {
      this.running -= 1;
    }
  }

  /** Waits for the connection to be ready, at most `timeoutMs`. */
  /**
   * Loads the scripts on every master before the first command: ioredis sends a script as EVALSHA
   * and, on NOSCRIPT, sends it again after the commands behind it, which would grant this process's
   * calls out of the order they came. Failures are left to that fallback.
   */
  private async loadScripts(): Promise<void> {
    const targets = this.isCluster && this.client.nodes ? this.client.nodes('master') : [this.client];
    await Promise.all(
      targets.flatMap((target) =>
        [acquireScript, settleScript, pauseScript].map((lua) => target.script('LOAD', lua).catch(() => {})),
      ),
    );
  }

  private ready(): Promise<void> {
    if (this.client.status === 'ready') {
      return this.loading ? this.bounded(this.loading, 'the connection') : Promise.resolve();
    }
    if (this.client.status === 'end') return Promise.reject(this.unavailable('the connection is closed'));
    // one listener however many calls wait for the connection
    this.whenReady ??= new Promise<void>((resolve) => {
      this.client.once('ready', () => {
        this.whenReady = undefined;
        resolve(this.loading);
      });
    });
    return this.bounded(this.whenReady, 'the connection');
  }

  private bounded<T>(operation: Promise<T>, what: string, leftMs = this.timeoutMs): Promise<T> {
    return boundedRedis(operation, what, this.timeoutMs, this.lastError, leftMs);
  }

  private unavailable(detail: string): RateLimiterError {
    return redisUnavailable(detail, this.lastError);
  }
}
