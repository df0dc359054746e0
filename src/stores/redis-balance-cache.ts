import type { Account } from '../schemas/accounts-balance-get.js';
import type { BalanceCache, BalanceLease, BalanceLeaseOptions, CachedBalances } from './balance-cache.js';
import { type BalanceEntryCipher, balanceEntryCipher, tokenKeysOf } from './balance-cipher.js';
import { type EncryptionKey, type ParsedKey, parseKeys } from './encryption-keys.js';
import { type LeaseClient, takeLease } from './redis-balance-lease.js';
import type { TokenStore } from './token-store.js';

/**
 * The Redis commands `RedisBalanceCache` uses. An ioredis 5/6 `Redis` or `Cluster` instance fits
 * (this package does not load ioredis itself).
 */
export interface RedisBalanceCacheClient {
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttl`. */
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  /** `SET key value PX ttl NX` (an overload of the same method in ioredis): only the lease uses it. */
  set(key: string, value: string, mode: 'PX', ttlMs: number, condition: 'NX'): Promise<unknown>;
  /** `MGET key…`: only the lease uses it (a Cluster's `mget` is fine: both keys share a slot). */
  mget?(...keys: string[]): Promise<Array<string | null>>;
  /** `DEL key`: only the lease uses it. */
  del?(key: string): Promise<unknown>;
}

/** Options of `RedisBalanceCache`. */
export interface RedisBalanceCacheOptions {
  /** A connected client, e.g. `new Redis(url)` from ioredis. The cache never closes it. */
  client: RedisBalanceCacheClient;
  /** Prepended to every key. Default `'plaid-facade:balances:'`. */
  prefix?: string;
  /**
   * Coalesces identical reads across processes with a lease per read (`SET NX PX`): one process
   * reads live, the others wait for its result. Default: on when the client has `mget` and `del`
   * (every ioredis client has them). See docs/balances.md.
   */
  coalesce?: boolean;
  /**
   * The bound of each Redis command of the lease, in ms (default 250): a Redis slower than that
   * counts as no lease, and the read goes live.
   */
  leaseCommandTimeoutMs?: number;
  /**
   * Encrypts entries (AES-256-GCM, `EncryptedTokenStore`'s codec, bound to the entry's key).
   * `'auto'` (the default): with the keys of the facade's token store when it is an
   * `EncryptedTokenStore`, else plain JSON. `{ keys }`: with these keys (first encrypts, all
   * decrypt). `false`: plain JSON. An encrypting cache reads a plain or undecryptable entry as a miss.
   */
  encryption?:
    | 'auto'
    | false
    | {
        /** Keys of the cache's own, as `EncryptedTokenStore` takes them (the first encrypts). */
        keys: ReadonlyArray<EncryptionKey>;
      };
}

/** The format version written with every entry; an entry of another version reads as a miss. */
const VERSION = 1;

/**
 * A `BalanceCache` in Redis, shared by every process that uses the same client and prefix: one
 * string key per read, `SET … PX ttl`, so Redis itself drops an entry when its TTL ends.
 *
 * **It holds personal data**: the user's account names, masks and balances (never an access
 * token), encrypted with the token store's keys when the facade's store is an
 * `EncryptedTokenStore` (see `encryption`), else as plain JSON. Keep its TTLs short (they are the
 * callers' `maxAgeMs`), and mind snapshots and replicas.
 *
 * @example
 * import Redis from 'ioredis';
 * import { RedisBalanceCache } from 'plaid-facade/stores/redis';
 * const plaid = createPlaidFacade({ clientId, secret, balanceCache: new RedisBalanceCache({ client: new Redis(url) }) });
 */
export class RedisBalanceCache implements BalanceCache {
  readonly #client: RedisBalanceCacheClient;
  readonly #prefix: string;
  readonly #coalesce: boolean;
  readonly #leaseCommandTimeoutMs: number;
  readonly #options: RedisBalanceCacheOptions;
  readonly #cipher: BalanceEntryCipher | undefined;

  /**
   * @param options the client, prefix and the lease's settings
   * @param tokenKeys set by the facade (`forTokenStore`): the keys of its `EncryptedTokenStore`
   */
  constructor(options: RedisBalanceCacheOptions, tokenKeys?: readonly ParsedKey[]) {
    const client = options?.client as Partial<RedisBalanceCacheClient> | undefined;
    if (typeof client?.get !== 'function' || typeof client.set !== 'function') {
      throw new TypeError('RedisBalanceCache: client must be a Redis client with get and set');
    }
    const prefix = options.prefix ?? 'plaid-facade:balances:';
    if (typeof prefix !== 'string') throw new TypeError('RedisBalanceCache: prefix must be a string');
    const canLease = typeof client.mget === 'function' && typeof client.del === 'function';
    const coalesce = options.coalesce ?? canLease;
    if (coalesce && !canLease) throw new TypeError('RedisBalanceCache: coalesce needs a client with mget and del');
    const timeout = options.leaseCommandTimeoutMs ?? 250;
    if (!Number.isInteger(timeout) || timeout < 1) {
      throw new TypeError('RedisBalanceCache: leaseCommandTimeoutMs must be a whole number ≥ 1');
    }
    this.#client = options.client;
    this.#prefix = prefix;
    this.#coalesce = coalesce;
    this.#leaseCommandTimeoutMs = timeout;
    this.#options = options;
    const encryption = options.encryption ?? 'auto';
    if (encryption !== 'auto' && encryption !== false && !Array.isArray(encryption?.keys)) {
      throw new TypeError("RedisBalanceCache: encryption must be 'auto', false or { keys }");
    }
    const keys = encryption === 'auto' ? tokenKeys : encryption === false ? undefined : parseKeys(encryption.keys);
    this.#cipher = keys ? balanceEntryCipher(keys) : undefined;
  }

  /** Whether entries are encrypted. */
  get encrypted(): boolean {
    return this.#cipher !== undefined;
  }

  /**
   * The cache a facade with `tokenStore` uses: with `encryption: 'auto'` and an
   * `EncryptedTokenStore`, a copy (same client, same keys in Redis) that encrypts with its keys.
   */
  forTokenStore(tokenStore: TokenStore): BalanceCache {
    const keys = tokenKeysOf(tokenStore);
    if ((this.#options.encryption ?? 'auto') !== 'auto' || !keys) return this;
    return new RedisBalanceCache(this.#options, keys);
  }

  /**
   * The Redis key of an entry: `<prefix>{<key, URI-encoded>}`. The braces are a Cluster hash tag,
   * so the entry and its lease (`…:lease`) share a slot and one `MGET` reads both.
   */
  keyOf(key: string): string {
    return `${this.#prefix}{${encodeURIComponent(key)}}`;
  }

  async get(key: string): Promise<CachedBalances | undefined> {
    const text = await this.#client.get(this.keyOf(key));
    return text === null ? undefined : this.#decode(text, key);
  }

  async set(key: string, value: CachedBalances, ttlMs: number): Promise<void> {
    const ttl = Math.ceil(ttlMs);
    if (!(ttl > 0)) return;
    const text = JSON.stringify({ v: VERSION, ...value });
    await this.#client.set(this.keyOf(key), this.#cipher ? this.#cipher.seal(text, key) : text, 'PX', ttl);
  }

  // An encrypting cache takes only entries it can open: a plain one may have been put there by
  // anyone who can write to Redis, and would be served as the user's balances.
  #decode(text: string, key: string): CachedBalances | undefined {
    if (!this.#cipher) return decode(text);
    const opened = this.#cipher.open(text, key);
    return opened === undefined ? undefined : decode(opened);
  }

  /** @inheritDoc */
  async lease(key: string, options: BalanceLeaseOptions): Promise<BalanceLease> {
    if (!this.#coalesce) return { held: false, value: undefined };
    const entryKey = this.keyOf(key);
    return takeLease(
      this.#client as LeaseClient,
      {
        entryKey,
        leaseKey: `${entryKey}:lease`,
        commandTimeoutMs: this.#leaseCommandTimeoutMs,
        decode,
      },
      options,
    );
  }
}

/** Reads an entry back, Dates included; `undefined` for anything this version did not write. */
function decode(text: string): CachedBalances | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entry = json as Partial<Record<keyof CachedBalances | 'v', unknown>> | null;
  if (typeof entry !== 'object' || entry === null || entry.v !== VERSION) return undefined;
  const fetchedAt = toDate(entry.fetchedAt);
  const { userId, itemId, requestId, accounts } = entry;
  if (typeof userId !== 'string' || typeof itemId !== 'string' || typeof requestId !== 'string') return undefined;
  if (!fetchedAt || !Array.isArray(accounts)) return undefined;
  const revived: Account[] = [];
  for (const account of accounts as Array<Account | null>) {
    if (typeof account !== 'object' || account === null || typeof account.balances !== 'object') return undefined;
    const stamp = (account.balances as { lastUpdated: unknown }).lastUpdated;
    const lastUpdated = stamp === null ? null : toDate(stamp);
    if (lastUpdated === undefined) return undefined;
    revived.push({ ...account, balances: { ...account.balances, lastUpdated } });
  }
  return { userId, itemId, requestId, fetchedAt, accounts: revived };
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
