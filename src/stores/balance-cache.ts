import type { Account } from '../schemas/accounts-balance-get.js';
import type { TokenStore } from './token-store.js';

/**
 * One successful live balance read, as a `BalanceCache` keeps it. It holds the user's account names,
 * masks and balances: personal data. Never an access token.
 */
export interface CachedBalances {
  /** The user, as given to `getBalances`. */
  userId: string;
  /** The Item read. */
  itemId: string;
  /** Plaid's request id of the live read. */
  requestId: string;
  /** When the live read's answer arrived: a cached read is served with this, never with a newer time. */
  fetchedAt: Date;
  /** The accounts and balances, as `getBalances` returned them. */
  accounts: Account[];
}

/**
 * Where `getBalances` keeps live reads for callers that accept an older one (`maxAgeMs`). Only
 * successful reads are stored; a failure is never cached. An implementation may forget an entry
 * whenever it likes (it is a cache) but must not return one after its `ttlMs`, nor an entry stored
 * under another key. Its failures cost a live read, never a failed call: the facade reads through it.
 *
 * Keys are built by the facade from the user id, the Item id, the account ids and
 * `minLastUpdated`; they hold no token.
 */
export interface BalanceCache {
  /** The read stored under `key`, or `undefined` (never stored, expired, or forgotten). */
  get(key: string): Promise<CachedBalances | undefined>;
  /** Stores `value` under `key` for at most `ttlMs` milliseconds, replacing any entry there. */
  set(key: string, value: CachedBalances, ttlMs: number): Promise<void>;
  /**
   * Optional: coalesces identical reads across processes that share the cache. The facade calls it
   * after a miss, once per key and process (single-flight covers the rest), before reading live:
   *
   * - `{ held: true, release }`: this process reads live, stores the result with `set`, then calls
   *   `release` (also after a failed read);
   * - `{ held: false, value }`: another process held the lease and its read arrived within
   *   `waitMs`: served as a cached read;
   * - `{ held: false, value: undefined }`: read live (the holder failed or died, the wait ran out,
   *   the cache is slow or failing).
   *
   * It must settle within about `waitMs` and when `signal` aborts, and should resolve rather than
   * reject: the facade reads live on a rejection too. A cache without it coalesces within the
   * process only.
   */
  lease?(key: string, options: BalanceLeaseOptions): Promise<BalanceLease>;
  /**
   * Optional: the cache a facade with this token store uses (called once, when the facade is
   * created). `RedisBalanceCache` answers a copy that encrypts its entries with the keys of an
   * `EncryptedTokenStore`.
   */
  forTokenStore?(tokenStore: TokenStore): BalanceCache;
}

/** What `BalanceCache.lease` is told. */
export interface BalanceLeaseOptions {
  /** How long the holder's live read may take: the lease ends by itself after it (a holder that died). */
  ttlMs: number;
  /** How long a process that finds the lease taken waits for the holder's read. */
  waitMs: number;
  /** The reader's signal: waiting ends when it aborts. */
  signal?: AbortSignal | undefined;
}

/** What `BalanceCache.lease` answered: hold the lease (read live), or another process's read. */
export type BalanceLease =
  | {
      /** This process holds the lease: read live, then `release()` it. */
      held: true;
      /** Gives the lease back (after the result is in the cache). */
      release(): Promise<void>;
    }
  | {
      /** Another process held the lease. */
      held: false;
      /** Its read, or `undefined` when it did not come in time (read live). */
      value: CachedBalances | undefined;
    };

/** Options of `MemoryBalanceCache`. */
export interface MemoryBalanceCacheOptions {
  /**
   * The memory the entries may take, in bytes (estimated: each entry's JSON, UTF-16, plus its key
   * and a fixed overhead); the least recently used go first. Default 32 MiB: about 15,000 reads of
   * an Item with 2 accounts, or 1,500 of one with 50.
   */
  maxBytes?: number;
  /** Also at most this many entries. Default: no count limit (the byte budget bounds the cache). */
  maxEntries?: number;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The default byte budget of `MemoryBalanceCache`. */
export const DEFAULT_BALANCE_CACHE_BYTES = 32 * 2 ** 20;

// Per entry beyond its JSON: the Map slot, the Entry object, the Dates and the object headers.
const entryOverheadBytes = 512;

interface Entry {
  value: CachedBalances;
  expiresAt: number;
  bytes: number;
}

/**
 * The default `BalanceCache`: this process's memory, bounded by a byte budget (`maxBytes`, least
 * recently used evicted first), each entry dropped after its TTL. Sized in bytes rather than in
 * entries because an entry's size follows the Item's accounts (one to hundreds). Lost on restart and
 * not shared between processes: use `RedisBalanceCache` from `plaid-facade/stores/redis` for that.
 *
 * @example
 * const plaid = createPlaidFacade({ clientId, secret, balanceCache: new MemoryBalanceCache({ maxBytes: 256 * 2 ** 20 }) });
 */
export class MemoryBalanceCache implements BalanceCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: MemoryBalanceCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    if (maxEntries !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxEntries) || maxEntries < 1)) {
      throw new RangeError('MemoryBalanceCache: maxEntries must be a positive integer');
    }
    const maxBytes = options.maxBytes ?? DEFAULT_BALANCE_CACHE_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError('MemoryBalanceCache: maxBytes must be a positive integer');
    }
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.#now = options.now ?? Date.now;
  }

  /** How many entries are held (expired ones included until they are next looked at or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The estimated bytes the entries take. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<CachedBalances | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#remove(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#add(key, entry);
    return structuredClone(entry.value);
  }

  async set(key: string, value: CachedBalances, ttlMs: number): Promise<void> {
    this.#remove(key);
    if (!(ttlMs > 0)) return;
    const bytes = 2 * (key.length + JSON.stringify(value).length) + entryOverheadBytes;
    // An entry larger than the whole budget is not kept (it would evict everything, then itself).
    if (bytes > this.#maxBytes) return;
    this.#add(key, { value: structuredClone(value), expiresAt: this.#now() + ttlMs, bytes });
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  #add(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
