import type { CryptoKey, JWK } from 'jose';
import type { WebhookVerificationError } from '../errors.js';
import { loadJose } from './jose.js';
import { reject } from './reject.js';

/** A key as `/webhook_verification_key/get` returns it. */
export interface FetchedKey {
  /** The public JWK (`kty`, `crv`, `x`, `y`, `alg`, `kid`, `use`). */
  jwk: JWK;
  /** Plaid's `expired_at` (seconds since the epoch), `null` while the key is current. */
  expiredAt: number | null;
}

/**
 * Fetches one key by id. Resolves `undefined` when Plaid says there is no such key; throws when
 * Plaid could not be asked or did not answer (the webhook is then retried by Plaid).
 */
export type FetchKey = (kid: string) => Promise<FetchedKey | undefined>;

/** Options of `KeyCache`. */
export interface KeyCacheOptions {
  /** Asks Plaid for a key. */
  fetchKey: FetchKey;
  /** The clock, in milliseconds (a seam for tests). */
  now: () => number;
  /** A cached current key is asked for again after this long, to learn of its expiry. Default 1 hour. */
  refreshAfterMs?: number;
  /** How long a key id Plaid does not know is answered from memory. Default 5 minutes. */
  unknownTtlMs?: number;
  /** At most this many key fetches a minute; beyond, a webhook with an uncached key id is retried later. Default 10. */
  maxFetchesPerMinute?: number;
}

interface Entry {
  key: CryptoKey | Uint8Array;
  expiredAt: number | null;
  fetchedAt: number;
}

// Plaid's key ids are UUID-like; anything else is refused before it costs a fetch.
const kidPattern = /^[A-Za-z0-9_-]{1,128}$/;
const maxUnknownKept = 1000;

/**
 * Plaid's webhook signing keys, by key id. Concurrent webhooks signed with a new key share one
 * fetch; a key id Plaid does not know is remembered for a while, and fetches are bounded per
 * minute, so a flood of forged webhooks with made-up key ids cannot make us hammer Plaid.
 */
export class KeyCache {
  readonly #options: Required<KeyCacheOptions>;
  readonly #keys = new Map<string, Entry>();
  readonly #unknown = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<Entry | undefined>>();
  #fetchTimes: number[] = [];

  constructor(options: KeyCacheOptions) {
    this.#options = { refreshAfterMs: 3_600_000, unknownTtlMs: 300_000, maxFetchesPerMinute: 10, ...options };
  }

  /**
   * The verification key for `kid`.
   * @throws WebhookVerificationError `WEBHOOK_SIGNATURE_INVALID` (unknown or unusable key),
   *   `WEBHOOK_KEY_EXPIRED`, or `WEBHOOK_KEY_UNAVAILABLE` (Plaid could not be asked: retryable)
   */
  async get(kid: string): Promise<CryptoKey | Uint8Array> {
    if (!kidPattern.test(kid)) throw reject('WEBHOOK_SIGNATURE_INVALID', 'malformed key id');
    const now = this.#options.now();
    const unknownUntil = this.#unknown.get(kid);
    if (unknownUntil !== undefined && unknownUntil > now) throw unknownKey();
    let entry = this.#keys.get(kid);
    // An expired key stays expired; a current one is asked for again now and then, for its expiry.
    if (!entry || (entry.expiredAt === null && now - entry.fetchedAt >= this.#options.refreshAfterMs)) {
      entry = await this.#fetchShared(kid, entry);
    }
    if (!entry) throw unknownKey();
    if (entry.expiredAt !== null) {
      throw reject('WEBHOOK_KEY_EXPIRED', 'Plaid says the signing key has expired');
    }
    return entry.key;
  }

  #fetchShared(kid: string, stale: Entry | undefined): Promise<Entry | undefined> {
    let pending = this.#inFlight.get(kid);
    if (!pending) {
      pending = this.#fetch(kid, stale).finally(() => this.#inFlight.delete(kid));
      this.#inFlight.set(kid, pending);
    }
    return pending;
  }

  async #fetch(kid: string, stale: Entry | undefined): Promise<Entry | undefined> {
    const now = this.#options.now();
    this.#fetchTimes = this.#fetchTimes.filter((time) => now - time < 60_000);
    if (this.#fetchTimes.length >= this.#options.maxFetchesPerMinute) {
      if (stale) return stale;
      throw unavailable(
        `more than ${this.#options.maxFetchesPerMinute} verification key fetches in a minute; not asking Plaid again yet`,
      );
    }
    this.#fetchTimes.push(now);
    let fetched: FetchedKey | undefined;
    try {
      fetched = await this.#options.fetchKey(kid);
    } catch (error) {
      // A refresh that fails keeps the key we have: Plaid being briefly unreachable is no reason to drop webhooks.
      if (stale) return stale;
      throw unavailable(`the verification key could not be fetched from Plaid (${describe(error)})`);
    }
    if (!fetched) {
      this.#keys.delete(kid);
      this.#rememberUnknown(kid, now);
      return undefined;
    }
    const entry: Entry = { key: await importKey(fetched.jwk), expiredAt: fetched.expiredAt, fetchedAt: now };
    this.#keys.set(kid, entry);
    return entry;
  }

  #rememberUnknown(kid: string, now: number): void {
    this.#unknown.delete(kid);
    this.#unknown.set(kid, now + this.#options.unknownTtlMs);
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
