import { RateLimiterError } from '../../errors.js';
import { acquireScript, pauseScript, settleScript } from './redis-scripts.js';

/** Default of `rateLimit.redis.timeoutMs`: how long any one Redis operation of the limiter may take. */
export const defaultRedisTimeoutMs = 1_000;

/** The parts of an ioredis client the shared limits use, on a duplicate of the user's client. */
export interface ScriptClient {
  readonly status: string;
  defineCommand(name: string, definition: { lua: string }): void;
  once(event: 'ready', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  ping(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** A client the user passes: an ioredis client, which the limiter duplicates. */
export interface DuplicableClient {
  duplicate(override?: Record<string, unknown>): unknown;
}

/** How the limiter's own connections (duplicates of the user's client) are set up. */
export const ownConnectionOptions = {
  lazyConnect: false,
  // No offline queue: a command sent while Redis is away fails at once instead of running
  // minutes later and taking a slot nobody uses.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  // keep reconnecting, at least once a second, so calls succeed again soon after Redis is back
  retryStrategy: (times: number) => Math.min(50 * times, 1_000),
} as const;

/**
 * `operation`, failing with `RateLimiterError` `RATE_LIMIT_REDIS_UNAVAILABLE` (retryable) when it
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

/** The limiter's failure when Redis does not answer: typed and retryable (the call was not sent). */
export function redisUnavailable(detail: string, lastError?: string, timeoutMs?: number): RateLimiterError {
  if (detail === 'Command timed out' && timeoutMs !== undefined) {
    // ioredis' commandTimeout (bottleneck's connection): say which bound it was
    detail = `no answer for a command within ${timeoutMs} ms (rateLimit.redis.timeoutMs)`;
  }
  const last = lastError && !detail.includes(lastError) ? `; last connection error: ${lastError}` : '';
  return new RateLimiterError(`Rate limiting: Redis unavailable (${detail}${last}). The call was not sent.`, {
    code: 'RATE_LIMIT_REDIS_UNAVAILABLE',
    retryable: true,
  });
}

type Script = (numberOfKeys: number, ...args: Array<string | number>) => Promise<unknown>;

/**
 * The limiter's own Redis connection: every operation bounded by `timeoutMs`, failing with
 * `RateLimiterError` `RATE_LIMIT_REDIS_UNAVAILABLE` (retryable) instead of hanging or surfacing a
 * raw ioredis error.
 */
export class RedisConnection {
  private readonly client: ScriptClient;
  private lastError: string | undefined;
  private whenReady: Promise<void> | undefined;
  private running = 0;

  /**
   * @param user the user's ioredis client: only duplicated, never used for commands nor closed
   * @param timeoutMs the bound of every operation, waiting for the connection included
   */
  constructor(
    user: DuplicableClient,
    readonly timeoutMs: number,
  ) {
    this.client = user.duplicate(ownConnectionOptions) as ScriptClient;
    this.client.on('error', (error) => {
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    this.client.defineCommand('plaidFacadeAcquire', { lua: acquireScript });
    this.client.defineCommand('plaidFacadeSettle', { lua: settleScript });
    this.client.defineCommand('plaidFacadePause', { lua: pauseScript });
  }

  /** Runs the acquire script (see redis-scripts.ts). */
  acquire(keys: string[], args: Array<string | number>): Promise<[number, number, number]> {
    return this.run('plaidFacadeAcquire', keys, args) as Promise<[number, number, number]>;
  }

  /** Runs the settle script. */
  settle(keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.run('plaidFacadeSettle', keys, args);
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
      await this.bounded(this.client.quit(), 'closing');
    } catch {
      // Redis away: nothing to say goodbye to
    } finally {
      this.client.disconnect();
    }
  }

  /** Scripts sent and not yet answered (tests wait for 0 before they move a fake clock). */
  get inFlight(): number {
    return this.running;
  }

  private async run(name: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    this.running += 1;
    try {
      const startedAt = performance.now();
      await this.ready();
      const script = (this.client as unknown as Record<string, Script>)[name] as Script;
      const left = this.timeoutMs - (performance.now() - startedAt);
      return await this.bounded(script.call(this.client, keys.length, ...keys, ...args), 'a command', left);
    } finally {
      this.running -= 1;
    }
  }

  /** Waits for the connection to be ready, at most `timeoutMs`. */
  private ready(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    if (this.client.status === 'end') return Promise.reject(this.unavailable('the connection is closed'));
    // one listener however many calls wait for the connection
    this.whenReady ??= new Promise<void>((resolve) => {
      this.client.once('ready', () => {
        this.whenReady = undefined;
        resolve();
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
