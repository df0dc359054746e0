import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JWK } from 'jose';
import type { WebhookKeyRedisClient } from '../options.js';

/** What the shared cache holds for one key id: Plaid's key, or Plaid's "no such key". */
export type SharedKeyRecord =
  | { kind: 'key'; jwk: JWK; expiredAt: number | null; fetchedAt: number }
  | { kind: 'unknown'; until: number };

/**
 * Keys shared between the processes of a fleet. Every method is bounded and never throws: a cache
 * that fails or does not answer counts as a miss (`read`), a lost race (`claim` → `true`: fetch
 * yourself) or a dropped write.
 */
export interface SharedKeys {
  /** The record of `kid`, or `undefined` (none, unreadable, or the cache did not answer). */
  read(kid: string): Promise<SharedKeyRecord | undefined>;
  /** Stores the record of `kid` (best effort). */
  write(kid: string, record: SharedKeyRecord): Promise<void>;
  /**
   * Claims the fetch of `kid` for `ms`: `true` when this process should fetch it (it got the
   * claim, or the cache did not answer), `false` when another process is fetching it now.
   */
  claim(kid: string, ms: number): Promise<boolean>;
  /** Gives up the claim on `kid` once its record is written (best effort). */
  release(kid: string): Promise<void>;
  /** The ids of the current keys fetched most recently by any process, newest first (for `prewarm`). */
  recent(): Promise<string[]>;
}

/** Options of `RedisSharedKeys`. */
export interface RedisSharedKeysOptions {
  client: WebhookKeyRedisClient;
  /** Prepended to every key (`<prefix>webhook-key:<kid>`). */
  prefix: string;
  /** The bound of each Redis call, in milliseconds. */
  timeoutMs: number;
  /** Signs and checks every record, so that a write to Redis cannot plant a key (derived from the Plaid secret). */
  secret: string;
  /** The clock, in milliseconds. */
  now: () => number;
  /** How long a current key's record lives (the key cache's refresh interval). */
  currentTtlMs: number;
}

// An expired key's record is kept a day: it only ever answers WEBHOOK_KEY_EXPIRED.
const expiredTtlMs = 86_400_000;
// After a Redis call fails or times out, Redis is left alone this long: webhooks do not each pay the bound.
const pauseAfterFailureMs = 5_000;
const VERSION = 1;
const timedOut = Symbol('timed out');
// Keys rotate rarely: the few most recent cover a rotation under way.
const maxRecent = 5;

/**
 * `SharedKeys` in Redis: one string key per key id, written with a TTL, each record signed with
 * an HMAC keyed from the Plaid secret (a process without the secret cannot plant a key that
 * verifies forged webhooks; a record that fails its check reads as a miss).
 */
export class RedisSharedKeys implements SharedKeys {
  readonly #options: RedisSharedKeysOptions;
  readonly #mac: Buffer;
  #pausedUntil = 0;

  constructor(options: RedisSharedKeysOptions) {
    this.#options = options;
    this.#mac = createHmac('sha256', options.secret).update('plaid-facade webhook key cache v1').digest();
  }

  async read(kid: string): Promise<SharedKeyRecord | undefined> {
    const text = await this.#call((client) => client.get(this.#key(kid)));
    return typeof text === 'string' ? this.#decode(kid, text) : undefined;
  }

  async write(kid: string, record: SharedKeyRecord): Promise<void> {
    const now = this.#options.now();
    const ttl = Math.ceil(
      record.kind === 'unknown'
        ? record.until - now
        : record.expiredAt === null
          ? this.#options.currentTtlMs - (now - record.fetchedAt)
          : expiredTtlMs,
    );
    if (!(ttl > 0)) return;
    const body = JSON.stringify({ v: VERSION, kid, ...record });
    await this.#call((client) => client.set(this.#key(kid), `${this.#tag(body)}.${body}`, 'PX', ttl));
    if (record.kind === 'key' && record.expiredAt === null) await this.#remember(kid);
  }

  async recent(): Promise<string[]> {
    const text = await this.#call((client) => client.get(this.#recentKey()));
    const json = typeof text === 'string' ? this.#open(text) : undefined;
    const kids = json?.v === VERSION ? json.kids : undefined;
    return Array.isArray(kids) ? kids.filter((kid): kid is string => typeof kid === 'string').slice(0, maxRecent) : [];
  }

  // Read-modify-write without a transaction: two processes racing may drop one id, which only
  // means that key is fetched on its first webhook instead of at start-up.
  async #remember(kid: string): Promise<void> {
    const kids = [kid, ...(await this.recent()).filter((other) => other !== kid)].slice(0, maxRecent);
    const body = JSON.stringify({ v: VERSION, kids });
    await this.#call((client) => client.set(this.#recentKey(), `${this.#tag(body)}.${body}`, 'PX', expiredTtlMs));
  }

  #recentKey(): string {
    return `${this.#options.prefix}webhook-keys:recent`;
  }

  async claim(kid: string, ms: number): Promise<boolean> {
    const answer = await this.#call((client) =>
      client.set(`${this.#key(kid)}:fetching`, '1', 'PX', Math.max(1, Math.ceil(ms)), 'NX'),
    );
    // 'OK': ours. null: another process holds it. undefined: Redis did not answer, so fetch.
    return answer !== null;
  }

  async release(kid: string): Promise<void> {
    await this.#call((client) => client.del(`${this.#key(kid)}:fetching`));
  }

  #key(kid: string): string {
    return `${this.#options.prefix}webhook-key:${kid}`;
  }

  #tag(body: string): string {
    return createHmac('sha256', this.#mac).update(body).digest('base64url');
  }

  /** The JSON object of a signed record, or `undefined` when its tag does not check or it is not JSON. */
  #open(text: string): Record<string, unknown> | undefined {
    const dot = text.indexOf('.');
    if (dot < 0) return undefined;
    const body = text.slice(dot + 1);
    const given = Buffer.from(text.slice(0, dot));
    const expected = Buffer.from(this.#tag(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const json: unknown = JSON.parse(body);
      return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  #decode(kid: string, text: string): SharedKeyRecord | undefined {
    const json = this.#open(text);
    if (!json) return undefined;
    if (json.v !== VERSION || json.kid !== kid) return undefined;
    if (json.kind === 'unknown' && typeof json.until === 'number') return { kind: 'unknown', until: json.until };
    const { jwk, expiredAt, fetchedAt } = json;
    if (json.kind !== 'key' || typeof jwk !== 'object' || jwk === null || typeof fetchedAt !== 'number')
      return undefined;
    if (expiredAt !== null && typeof expiredAt !== 'number') return undefined;
    return { kind: 'key', jwk: jwk as JWK, expiredAt, fetchedAt };
  }

  /** One bounded Redis call: its answer, or `undefined` when it failed, timed out, or Redis is paused. */
  async #call<T>(command: (client: WebhookKeyRedisClient) => Promise<T>): Promise<T | undefined> {
    if (this.#options.now() < this.#pausedUntil) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => resolve(timedOut), this.#options.timeoutMs);
    });
    try {
      const pending = Promise.resolve().then(() => command(this.#options.client));
      pending.catch(() => undefined); // a late failure after the bound is nobody's concern
      const answer = await Promise.race([pending, timeout]);
      if (answer === timedOut) throw new Error('timeout');
      return answer as T;
    } catch {
      this.#pausedUntil = this.#options.now() + pauseAfterFailureMs;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
