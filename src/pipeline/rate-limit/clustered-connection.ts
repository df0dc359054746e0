import type Bottleneck from 'bottleneck';
import { boundedRedis, type DuplicableClient, ownConnectionOptions } from './redis-connection.js';

/*
 * bottleneck's clustering for one facade: one `IORedisConnection` (a client and a subscriber, both
 * duplicates of the user's client) shared by the engine of every endpoint. bottleneck is loaded on
 * the first call that needs it, so a facade without `rateLimit.redis` never loads it.
 */

type BottleneckClass = typeof Bottleneck;

/** The settings an endpoint's engine is created with (`datastore` and `connection` are added here). */
export type BottleneckSettings = Omit<Bottleneck.ConstructorOptions, 'datastore' | 'connection' | 'Redis'>;

/** bottleneck's Redis connection of one facade, with every operation bounded by `timeoutMs`. */
export class ClusteredConnection {
  private lastError: string | undefined;
  private loaded: Promise<{ Bottleneck: BottleneckClass; connection: Bottleneck.IORedisConnection }> | undefined;
  private running = 0;
  private closed = false;
  private readonly pending: Array<() => number> = [];
  private readonly afterClose: Array<() => void> = [];

  /**
   * @param user the user's ioredis client: only duplicated, never used for commands nor closed
   * @param timeoutMs the bound of every operation (`rateLimit.redis.timeoutMs`)
   */
  constructor(
    private readonly user: DuplicableClient,
    readonly timeoutMs: number,
  ) {}

  /** A new engine (a bottleneck limiter in clustering mode) on this connection. */
  async engine(settings: BottleneckSettings): Promise<Bottleneck> {
    const { Bottleneck, connection } = await this.load();
    return new Bottleneck({ ...settings, datastore: 'ioredis', connection });
  }

  /**
   * Runs one operation of an engine, bounded by `timeoutMs`: it fails with `RateLimiterError`
   * `RATE_LIMIT_REDIS_UNAVAILABLE` rather than hang or surface a raw `ReplyError`.
   */
  async run<T>(operation: () => Promise<T>, what: string): Promise<T> {
    this.running += 1;
    try {
      return await boundedRedis(Promise.resolve().then(operation), what, this.timeoutMs, this.lastError);
    } finally {
      this.running -= 1;
    }
  }

  /**
   * Operations sent and not yet answered, the engines' included (tests wait for 0 before they
   * move a fake clock).
   */
  get inFlight(): number {
    return this.pending.reduce((sum, count) => sum + count(), this.running);
  }

  /** Counts an engine's own operations (a job asking for a slot, slots being freed) in `inFlight`. */
  track(count: () => number): void {
    this.pending.push(count);
  }

  /** Runs `then` once the connections are closed (an engine ends what it still holds). */
  whenClosed(then: () => void): void {
    this.afterClose.push(then);
  }

  /** Closes both connections: politely if Redis answers within `timeoutMs`, else at once. */
  async close(): Promise<void> {
    this.closed = true;
    const loaded = this.loaded;
    try {
      if (!loaded) return;
      const { connection } = await loaded;
      try {
        await boundedRedis(connection.disconnect(true), 'closing', this.timeoutMs, this.lastError);
      } catch {
        await connection.disconnect(false).catch(() => {});
      }
    } finally {
      for (const then of this.afterClose.splice(0)) then();
    }
  }

  private load(): Promise<{ Bottleneck: BottleneckClass; connection: Bottleneck.IORedisConnection }> {
    if (this.closed) return Promise.reject(new Error('closed'));
    this.loaded ??= import('bottleneck').then((module) => {
      const Bottleneck = ((module as { default?: BottleneckClass }).default ?? module) as BottleneckClass;
      const client = this.user.duplicate({ ...ownConnectionOptions, commandTimeout: this.timeoutMs });
      const connection = new Bottleneck.IORedisConnection({
        client,
        // Passing the class keeps bottleneck from loading ioredis itself with eval("require").
        Redis: (client as { constructor: unknown }).constructor,
      } as Bottleneck.IORedisConnectionOptions);
      connection.on('error', (error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
      });
      return { Bottleneck, connection };
    });
    return this.loaded;
  }
}
