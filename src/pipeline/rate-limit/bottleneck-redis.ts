import type Bottleneck from 'bottleneck';
import { RateLimiterError } from '../../errors.js';
import type { ResolvedRateLimit } from '../../options.js';
import type { BottleneckClass } from './bottleneck-builds.js';

/** Bottleneck's Redis connection for one facade, on connections of its own. */
export interface RedisBackend {
  /** Passed to every limiter and group as `connection`. */
  readonly connection: Bottleneck.IORedisConnection;
  /** Prefix of limiter ids. */
  readonly prefix: string;
  /** Waits for `ready` at most `readyTimeoutMs`, else fails with `RATE_LIMIT_REDIS_UNAVAILABLE`. */
  whenReady(ready: Promise<unknown>): Promise<void>;
  /** Closes the two connections bottleneck opened. */
  close(): Promise<void>;
}

/**
 * Opens bottleneck's connection for `rateLimit.redis` (resolved and checked in options.ts), with
 * `Bottleneck`, the full build. The user's client is only duplicated: bottleneck's `disconnect()`
 * quits the client it was given, and the user's must stay open.
 */
export function createRedisBackend(
  options: NonNullable<ResolvedRateLimit['redis']>,
  Bottleneck: BottleneckClass,
): RedisBackend {
  const { client, readyTimeoutMs } = options;
  let lastError: string | undefined;
  const connection = new Bottleneck.IORedisConnection({
    // lazyConnect off: bottleneck waits for the 'ready' event, which a lazy client never emits
    client: client.duplicate({ lazyConnect: false }),
    // Passing the class stops bottleneck from loading ioredis itself with eval("require").
    Redis: (client as { constructor: unknown }).constructor,
  });
  connection.on('error', (error: unknown) => {
    lastError = error instanceof Error ? error.message : String(error);
  });

  return {
    connection,
    prefix: options.prefix,
    async whenReady(ready) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new RateLimiterError(
              `Rate limiting: Redis not ready within ${readyTimeoutMs} ms` +
                (lastError ? ` (last error: ${lastError})` : '') +
                '. Is the server reachable, and is the client an ioredis client?',
              { code: 'RATE_LIMIT_REDIS_UNAVAILABLE', retryable: true },
            ),
          );
        }, readyTimeoutMs);
      });
      try {
        await Promise.race([ready, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await connection.disconnect(true).catch(() => connection.disconnect(false));
    },
  };
}
