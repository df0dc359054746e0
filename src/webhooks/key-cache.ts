import type { CryptoKey, JWK } from 'jose';
import type { WebhookVerificationError } from '../errors.js';
import { untilAborted } from './abortable.js';
import { FetchBudget } from './fetch-budget.js';
import { loadJose } from './jose.js';
import { reject } from './reject.js';
import type { SharedKeyRecord, SharedKeys } from './shared-keys.js';

/** A key as `/webhook_verification_key/get` returns it. */
export interface FetchedKey {
  /** The public JWK (`kty`, `crv`, `x`, `y`, `alg`, `kid`, `use`). */
  jwk: JWK;
  /** Plaid's `expired_at` (seconds since the epoch), `null` while the key is current. */
  expiredAt: number | null;
}

/**
 * Fetches one key by id. Resolves `undefined` when Plaid says there is no such key; throws when
 * Plaid could not be asked or did not answer (the webhook is then retried by Plaid). Stops when
 * `signal` aborts.
 */
export type FetchKey = (kid: string, signal: AbortSignal) => Promise<FetchedKey | undefined>;

/** Options of `KeyCache`. */
export interface KeyCacheOptions {
  /** Asks Plaid for a key. */
  fetchKey: FetchKey;
  /** The clock, in milliseconds (a seam for tests). */
  now: () => number;
  /** A cached current key is asked for again after this long, to learn of its expiry. Default 1 hour. */
  refreshAfterMs?: number;
  /** How long a key id Plaid does not know is answered from memory. Default 1 hour. */
  unknownTtlMs?: number;
  /** Fetches a minute for key ids seen for the first time (see `FetchBudget`). Default 10. */
  maxFetchesPerMinute?: number;
  /** Fetches a minute kept for key ids refused before and seen again (see `FetchBudget`). Default 10. */
  maxRepeatFetchesPerMinute?: number;
  /** The longest one key fetch may take, retries included, in milliseconds. Default 8000. */
  fetchTimeoutMs?: number;
  /** Keys shared with other processes (Redis), read before Plaid is asked. */
  shared?: SharedKeys | undefined;
}

interface Entry {
  key: CryptoKey | Uint8Array;
  jwk: JWK;
  expiredAt: number | null;
  fetchedAt: number;
  /** After a failed refresh, not asked again before this time. */
  retryAt: number;
}

/** How long a current key is used before Plaid is asked again (to learn of its expiry): 1 hour. */
export const KEY_REFRESH_AFTER_MS = 3_600_000;

// Plaid's key ids are UUID-like; anything else is refused before it costs a fetch.
const kidPattern = /^[A-Za-z0-9_-]{1,128}$/;
// Ids are at most 128 characters: 10,000 of them are about 1.5 MB at worst.
const maxUnknownKept = 10_000;
const maxPendingKept = 10_000;
// A refresh that failed (Plaid down) is not tried again by every webhook: once a minute per key.
const refreshBackoffMs = 60_000;
// How often a process waiting for another's fetch looks at the shared cache.
const sharedPollMs = 50;

/**
 * Plaid's webhook signing keys, by key id. Concurrent webhooks signed with a new key share one
 * fetch; a key id Plaid does not know is remembered (so each made-up id costs one fetch at most);
 * a known key is never fetched again while current except for its hourly refresh, which spends no
 * budget; and fetches of uncached ids are bounded per minute in two lanes (`FetchBudget`) so that
 * made-up ids cannot starve a genuine new key. Every fetch is bounded in time.
 */
export class KeyCache {
  readonly #options: Required<Omit<KeyCacheOptions, 'shared'>>;
  readonly #shared: SharedKeys | undefined;
  readonly #budget: FetchBudget;
  readonly #keys = new Map<string, Entry>();
  readonly #unknown = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<Entry | undefined>>();

  constructor(options: KeyCacheOptions) {
    const { shared, ...rest } = options;
    this.#options = {
      refreshAfterMs: KEY_REFRESH_AFTER_MS,
      unknownTtlMs: 3_600_000,
      maxFetchesPerMinute: 10,
      maxRepeatFetchesPerMinute: 10,
      fetchTimeoutMs: 8_000,
      ...rest,
    };
    this.#shared = shared;
    this.#budget = new FetchBudget({
      now: options.now,
      newPerMinute: this.#options.maxFetchesPerMinute,
      repeatPerMinute: this.#options.maxRepeatFetchesPerMinute,
      maxPending: maxPendingKept,
    });
  }

  /**
   * The verification key for `kid`.
   * @throws WebhookVerificationError `WEBHOOK_SIGNATURE_INVALID` (unknown or unusable key),
   *   `WEBHOOK_KEY_EXPIRED`, or `WEBHOOK_KEY_UNAVAILABLE` (Plaid could not be asked: retryable)
   * @throws the reason of `signal` when it aborts: this caller stops waiting, while the fetch (shared
   *   with the other webhooks signed by the same key) goes on and is kept for them
   */
  async get(kid: string, signal?: AbortSignal): Promise<CryptoKey | Uint8Array> {
    if (!kidPattern.test(kid)) throw reject('WEBHOOK_SIGNATURE_INVALID', 'malformed key id');
    signal?.throwIfAborted();
    const now = this.#options.now();
    const unknownUntil = this.#unknown.get(kid);
    if (unknownUntil !== undefined && unknownUntil > now) throw unknownKey();
    let entry = this.#keys.get(kid);
    // An expired key stays expired; a current one is asked for again now and then, for its expiry.
    if (!entry || (entry.expiredAt === null && this.#due(entry, now))) {
      entry = await untilAborted(this.#shareFlight(kid, entry), signal);
    }
    if (!entry) throw unknownKey();
    if (entry.expiredAt !== null) {
      throw reject('WEBHOOK_KEY_EXPIRED', 'Plaid says the signing key has expired');
    }
    return entry.key;
  }

  /**
   * Loads `kid` ahead of webhooks (start-up): from the shared cache, else from Plaid, spending no
   * budget. Resolves what became of it; never throws for Plaid or Redis failing.
   */
  async prewarm(kid: string): Promise<'ready' | 'expired' | 'unknown' | 'unavailable' | 'malformed'> {
    if (!kidPattern.test(kid)) return 'malformed';
    try {
      const entry = this.#keys.get(kid) ?? (await this.#shareFlight(kid, undefined, { budgeted: false }));
      return !entry ? 'unknown' : entry.expiredAt === null ? 'ready' : 'expired';
    } catch (error) {
      return (error as { code?: unknown }).code === 'WEBHOOK_KEY_UNAVAILABLE' ? 'unavailable' : 'unknown';
    }
  }

  #due(entry: Entry, now: number): boolean {
    return now - entry.fetchedAt >= this.#options.refreshAfterMs && now >= entry.retryAt;
  }

  #shareFlight(kid: string, stale: Entry | undefined, how = { budgeted: true }): Promise<Entry | undefined> {
    let pending = this.#inFlight.get(kid);
    if (!pending) {
      pending = this.#load(kid, stale, how.budgeted).finally(() => this.#inFlight.delete(kid));
      this.#inFlight.set(kid, pending);
    }
    return pending;
  }

  async #load(kid: string, stale: Entry | undefined, budgeted: boolean): Promise<Entry | undefined> {
    const fromShared = await this.#readShared(kid, stale);
    if (fromShared !== undefined) return fromShared === 'unknown' ? undefined : fromShared;
    // A refresh of a key we hold spends no budget: it happens once an hour per genuine key at most.
    if (budgeted && !stale && this.#budget.take(kid) === undefined) {
      throw unavailable('too many verification key fetches this minute; not asking Plaid again yet');
    }
    const started = performance.now(); // real elapsed time, whatever the clock seam says
    let fetchMs = this.#options.fetchTimeoutMs;
    const claimed = this.#shared ? await this.#shared.claim(kid, fetchMs) : false;
    if (this.#shared && !claimed) {
      // Another process is fetching it: wait for its record (half the bound at most), else fetch too.
      const waited = await this.#waitForShared(kid, stale, fetchMs / 2);
      if (waited !== undefined) return waited === 'unknown' ? undefined : waited;
      fetchMs = Math.max(1, this.#options.fetchTimeoutMs - (performance.now() - started));
    }
    try {
      return await this.#fetchAndKeep(kid, stale, fetchMs);
    } finally {
      if (claimed) await this.#shared?.release(kid);
    }
  }

  async #fetchAndKeep(kid: string, stale: Entry | undefined, fetchMs: number): Promise<Entry | undefined> {
    const now = this.#options.now();
    let fetched: FetchedKey | undefined;
    try {
      fetched = await this.#fetchBounded(kid, fetchMs);
    } catch (error) {
      // A refresh that fails keeps the key we have: Plaid being briefly unreachable is no reason to drop webhooks.
      if (stale) {
        stale.retryAt = now + refreshBackoffMs;
        return stale;
      }
      // Plaid's next delivery of this webhook counts as a repeat: it may use the reserved lane.
      this.#budget.remember(kid);
      throw unavailable(`the verification key could not be fetched from Plaid (${describe(error)})`);
    }
    if (!fetched) {
      this.#rememberUnknown(kid, now + this.#options.unknownTtlMs);
      // Awaited (each Redis call is bounded) so that the fleet knows it before this webhook is answered.
      await this.#shared?.write(kid, { kind: 'unknown', until: now + this.#options.unknownTtlMs });
      return undefined;
    }
    const entry = await this.#keep(kid, fetched.jwk, fetched.expiredAt, now);
    await this.#shared?.write(kid, { kind: 'key', jwk: fetched.jwk, expiredAt: fetched.expiredAt, fetchedAt: now });
    return entry;
  }

  /** What the shared cache knows of `kid` that is newer than `stale`: an entry, `'unknown'`, or nothing. */
  async #readShared(kid: string, stale: Entry | undefined): Promise<Entry | 'unknown' | undefined> {
    if (!this.#shared) return undefined;
    const record: SharedKeyRecord | undefined = await this.#shared.read(kid);
    const now = this.#options.now();
    if (!record) return undefined;
    if (record.kind === 'unknown') {
      if (record.until <= now || stale) return undefined;
      this.#rememberUnknown(kid, record.until);
      return 'unknown';
    }
    if (record.expiredAt === null && now - record.fetchedAt >= this.#options.refreshAfterMs) return undefined;
    if (stale && record.fetchedAt <= stale.fetchedAt) return undefined;
    try {
      return await this.#keep(kid, record.jwk, record.expiredAt, record.fetchedAt);
    } catch {
      return undefined; // An unusable shared record counts as a miss: Plaid is asked.
    }
  }

  /** Polls the shared cache for the record another process is fetching, for up to `ms` (real time). */
  async #waitForShared(kid: string, stale: Entry | undefined, ms: number): Promise<Entry | 'unknown' | undefined> {
    const rounds = Math.max(1, Math.floor(ms / sharedPollMs));
    for (let round = 0; round < rounds; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, sharedPollMs));
      const found = await this.#readShared(kid, stale);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async #keep(kid: string, jwk: JWK, expiredAt: number | null, fetchedAt: number): Promise<Entry> {
    const entry: Entry = { key: await importKey(jwk), jwk, expiredAt, fetchedAt, retryAt: 0 };
    this.#unknown.delete(kid);
    this.#keys.set(kid, entry);
    return entry;
  }

  // One fetch never holds a webhook past fetchTimeoutMs (Plaid gives a receiver 10 s to answer).
  async #fetchBounded(kid: string, ms: number): Promise<FetchedKey | undefined> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        controller.abort();
        // Named as the platform's AbortSignal.timeout() names it; the message shows the name only.
        fail(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' }));
      }, ms);
    });
    try {
      return await Promise.race([this.#options.fetchKey(kid, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #rememberUnknown(kid: string, until: number): void {
    this.#keys.delete(kid);
    this.#unknown.delete(kid);
    this.#unknown.set(kid, until);
    // Oldest first (insertion order): the memory of made-up key ids stays bounded.
    for (const old of this.#unknown.keys()) {
      if (this.#unknown.size <= maxUnknownKept) break;
      this.#unknown.delete(old);
    }
  }
}

async function importKey(jwk: JWK): Promise<CryptoKey | Uint8Array> {
  // Only an EC P-256 signing key is of use for ES256; anything else Plaid (or a fake) hands us is refused.
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || (jwk.alg !== undefined && jwk.alg !== 'ES256') || 'd' in jwk) {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the verification key is not a public ES256 (P-256) key');
  }
  const { kty, crv, x, y } = jwk;
  const { importJWK } = await loadJose();
  try {
    return await importJWK({ kty, crv, x, y } as JWK, 'ES256');
  } catch {
    throw reject('WEBHOOK_SIGNATURE_INVALID', 'the verification key could not be read');
  }
}

// Retryable: answer 5xx, and Plaid delivers the webhook again later.
function unavailable(message: string): WebhookVerificationError {
  return reject('WEBHOOK_KEY_UNAVAILABLE', message);
}

// A plaid-facade error's code and message are safe (no secret, no token); anything else, its name only.
function describe(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown } | null;
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'unknown error';
}

function unknownKey(): WebhookVerificationError {
  return reject('WEBHOOK_SIGNATURE_INVALID', 'Plaid knows no verification key with that key id');
}
