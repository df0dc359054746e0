import type Bottleneck from 'bottleneck';
import type { PlaidEndpoint } from '../../events.js';
import type { EndpointLimits, LimitSpec, PlaidEnvironment } from '../../options.js';
import type { BottleneckClass } from './bottleneck-builds.js';
import { speedUpLocalLimiter } from './bottleneck-local.js';
import { Line, limiterSettings } from './line.js';
import type { RedisBackend } from './bottleneck-redis.js';

/*
 * Redis mode settings.
 * - heartbeatInterval: bottleneck's Redis default is 5 s, which would delay the reservoir refresh
 *   that ends a pause after a 429. Endpoint limiters are few: 250 ms. Item limiters can be many,
 *   each with its own heartbeat: 1 s, as their windows are a minute.
 * - expiration: how long Redis keeps a slot whose process died before releasing it. A slot is
 *   held for the window after its call started; an Item slot is taken before the call waits for
 *   the endpoint's slot, so it gets a longer allowance.
 * - timeout: Redis keys (and idle Item limiters) go away after this long without a call; it must
 *   outlast every hold.
 */
const endpointHeartbeatMs = 250;
const itemHeartbeatMs = 1_000;
const expirationMarginMs = 5_000;
const itemWaitAllowanceMs = 10 * 60_000;

function idleTimeoutMs(spec: LimitSpec): number {
  return Math.max(5 * 60_000, spec.intervalMs + itemWaitAllowanceMs + 60_000);
}

/** The bottleneck limiters of one facade: one per limited endpoint, one group of Item limiters per endpoint with a per-Item limit. */
export class LineRegistry {
  private readonly endpointLines = new Map<string, Line>();
  private readonly groups = new Map<string, { group: Bottleneck.Group; spec: LimitSpec }>();
  /** Weak: when a group drops an idle Item limiter, its line goes with it. */
  private readonly itemLines = new WeakMap<Bottleneck, Line>();
  private readonly limiters = new Set<Bottleneck>();

  /**
   * @param limits the limits in force, by Plaid path
   * @param environment part of the Redis ids, so sandbox and production never share a limit
   * @param Bottleneck the bottleneck build: the light one in process, the full one with Redis
   * @param redis the shared backend, or undefined for limits kept in this process
   */
  constructor(
    private readonly limits: Record<string, EndpointLimits>,
    private readonly environment: PlaidEnvironment,
    private readonly Bottleneck: BottleneckClass,
    private readonly redis: RedisBackend | undefined,
  ) {}

  /** The line of an endpoint's client-wide limit, or undefined when it has none. */
  endpointLine(endpoint: PlaidEndpoint): Line | undefined {
    const spec = this.limits[endpoint]?.endpoint;
    if (!spec) return undefined;
    let line = this.endpointLines.get(endpoint);
    if (!line) {
      const limiter = new this.Bottleneck({
        ...limiterSettings(spec),
        ...this.redisSettings(this.id(endpoint, spec), spec, endpointHeartbeatMs),
      });
      line = this.makeLine(limiter, spec, endpoint, false);
      this.endpointLines.set(endpoint, line);
    }
    return line;
  }

  /** The line of an Item's limit on an endpoint, or undefined when the endpoint has none. */
  itemLine(endpoint: PlaidEndpoint, itemId: string): Line | undefined {
    const spec = this.limits[endpoint]?.perItem;
    if (!spec) return undefined;
    let entry = this.groups.get(endpoint);
    if (!entry) {
      const group = new this.Bottleneck.Group({
        ...limiterSettings(spec),
        ...this.redisSettings(this.id(`item:${endpoint}`, spec), spec, itemHeartbeatMs),
        // Bottleneck.Group drops an Item's limiter after this long without a call
        timeout: idleTimeoutMs(spec),
      });
      entry = { group, spec };
      this.groups.set(endpoint, entry);
    }
    const limiter = entry.group.key(itemId);
    let line = this.itemLines.get(limiter);
    if (!line) {
      line = this.makeLine(limiter, spec, endpoint, true);
      this.itemLines.set(limiter, line);
    }
    return line;
  }

  /**
   * Drops the calls still waiting and waits until the slots of the calls already started reach
   * the end of their windows, each then freed as usual (in Redis mode: in Redis, where other
   * processes get it back at once, rather than at its expiry). Resolves by then, or after the
   * longest window plus a second should something keep a slot.
   */
  async releaseHeldSlots(): Promise<void> {
    const longestWindowMs = Math.max(
      0,
      ...Object.values(this.limits).flatMap((limits) => [
        limits.endpoint?.intervalMs ?? 0,
        limits.perItem?.intervalMs ?? 0,
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, longestWindowMs + 1_000);
    });
    try {
      await Promise.race([
        Promise.allSettled(this.allLimiters().map((limiter) => limiter.stop({ dropWaitingJobs: true }))),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every heartbeat and cleanup timer and leaves Redis. */
  async close(): Promise<void> {
    await Promise.allSettled(this.allLimiters().map((limiter) => limiter.disconnect(false)));
    this.endpointLines.clear();
    this.groups.clear();
    this.limiters.clear();
  }

  private allLimiters(): Bottleneck[] {
    const limiters = [...this.limiters];
    for (const { group } of this.groups.values()) {
      // (the group's own cleanup timer is unref'd: it keeps no process alive)
      for (const { limiter } of group.limiters()) limiters.push(limiter);
    }
    return limiters;
  }

  private makeLine(limiter: Bottleneck, spec: LimitSpec, endpoint: PlaidEndpoint, perItem: boolean): Line {
    // bottleneck reports Redis failures as events too; the call that meets one fails on its own
    limiter.on('error', () => {});
    if (!perItem) this.limiters.add(limiter);
    const redis = this.redis;
    if (!redis) speedUpLocalLimiter(limiter);
    const expirationMs = redis ? spec.intervalMs + expirationMarginMs + (perItem ? itemWaitAllowanceMs : 0) : undefined;
    const ready = redis ? () => redis.whenReady(limiter.ready()) : () => Promise.resolve();
    return new Line(limiter, spec, { endpoint, perItem }, expirationMs, ready);
  }

  private redisSettings(id: string, spec: LimitSpec, heartbeatInterval: number): Bottleneck.ConstructorOptions {
    if (!this.redis) return {};
    return {
      id,
      connection: this.redis.connection,
      heartbeatInterval,
      timeout: idleTimeoutMs(spec),
    };
  }

  /**
   * A Redis id. It names the limit itself: bottleneck keeps the settings of the first limiter
   * created for an id, so a changed limit gets a new id instead of silently inheriting the old.
   */
  private id(name: string, spec: LimitSpec): string {
    const prefix = this.redis?.prefix ?? 'plaid-facade';
    return `${prefix}:${this.environment}:${name}:${spec.limit}per${spec.intervalMs}ms`;
  }
}
