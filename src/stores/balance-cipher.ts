import type { ParsedKey } from './encryption-keys.js';
import { decryptToken, encryptedPrefix, encryptToken } from './token-cipher.js';

// The keys of each EncryptedTokenStore, so a balance cache can use them without the store
// exposing them (a WeakMap: nothing is kept once the store is gone).
const tokenKeys = new WeakMap<object, readonly ParsedKey[]>();

/** Called by `EncryptedTokenStore`: its keys, first the one that encrypts. */
export function registerTokenKeys(store: object, keys: readonly ParsedKey[]): void {
  tokenKeys.set(store, keys);
}

/** The keys of `store` when it is an `EncryptedTokenStore`, else `undefined`. */
export function tokenKeysOf(store: unknown): readonly ParsedKey[] | undefined {
  return typeof store === 'object' && store !== null ? tokenKeys.get(store) : undefined;
}

/** Seals and opens cached balance entries with the token store's codec (AES-256-GCM). */
export interface BalanceEntryCipher {
  /** The entry's text, encrypted and bound to its cache key. */
  seal(text: string, cacheKey: string): string;
  /** The entry's text, or `undefined` when it is not sealed, tampered with, moved or under an unknown key. */
  open(stored: string, cacheKey: string): string | undefined;
}

// Bound in as associated data with the cache key, so an entry copied under another key (another
// user's read) does not open, and no token record can pass for an entry.
const scope = 'plaid-facade balance cache';

/** A cipher over `keys`: the first seals, every one opens. */
export function balanceEntryCipher(keys: readonly ParsedKey[]): BalanceEntryCipher {
  const current = keys[0];
  if (!current) throw new TypeError('balanceEntryCipher: no key');
  const byId = new Map(keys.map((key) => [key.id, key]));
  return {
    seal: (text, cacheKey) => encryptToken(text, { userId: scope, itemId: cacheKey }, current),
    open: (stored, cacheKey) => {
      if (!stored.startsWith(encryptedPrefix)) return undefined;
      try {
        return decryptToken(stored, { userId: scope, itemId: cacheKey }, byId);
      } catch {
        return undefined;
      }
    },
  };
}
