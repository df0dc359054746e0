import { createSecretKey, type KeyObject } from 'node:crypto';
import { InvalidArgumentError, type Issue } from '../errors.js';

/** One key of an `EncryptedTokenStore`. */
export interface EncryptionKey {
  /**
   * A short, stable name for the key, written into every record it encrypts so the right key is
   * found on read: 1 to 64 characters of `A-Z a-z 0-9 _ -`, e.g. `'2025-01'`.
   */
  id: string;
  /**
   * 32 random bytes (AES-256): a `Uint8Array`/`Buffer`, or those bytes as a base64 or base64url
   * string. Make one with `crypto.randomBytes(32).toString('base64')`.
   */
  key: Uint8Array | string;
}

/**
 * A validated key: its id and the secret as a `KeyObject` (never printed by `util.inspect`).
 * @inline
 */
export interface ParsedKey {
  readonly id: string;
  readonly secret: KeyObject;
}

const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const base64Pattern = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;
const keyLength = 32;

/**
 * Checks the key list of an `EncryptedTokenStore`: at least one key, unique well-formed ids,
 * exactly 32 bytes each. Throws `InvalidArgumentError` naming every problem (never a key's bytes).
 * The key material is copied, so later changes to the caller's buffers have no effect.
 */
export function parseKeys(keys: unknown): ParsedKey[] {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new InvalidArgumentError('EncryptedTokenStore options', [
      { path: ['keys'], message: 'must be a non-empty array of { id, key }; the first key encrypts' },
    ]);
  }
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const parsed: ParsedKey[] = [];
  keys.forEach((entry: unknown, index) => {
    const { id, key } = (entry ?? {}) as { id?: unknown; key?: unknown };
    if (typeof id !== 'string' || !keyIdPattern.test(id)) {
      issues.push({ path: ['keys', index, 'id'], message: 'must be 1 to 64 characters of A-Z a-z 0-9 _ -' });
    } else if (seen.has(id)) {
      issues.push({ path: ['keys', index, 'id'], message: `duplicate key id ${JSON.stringify(id)}` });
    } else {
      seen.add(id);
    }
    const bytes = keyBytes(key);
    if (typeof bytes === 'string') {
      issues.push({ path: ['keys', index, 'key'], message: bytes });
      return;
    }
    if (typeof id === 'string') parsed.push({ id, secret: createSecretKey(bytes) });
    bytes.fill(0);
  });
  if (issues.length > 0) throw new InvalidArgumentError('EncryptedTokenStore options', issues);
  return parsed;
}

// The key's bytes in a fresh buffer, or what is wrong with it (without echoing the key).
function keyBytes(key: unknown): Buffer | string {
  let bytes: Buffer;
  if (key instanceof Uint8Array) {
    bytes = Buffer.from(key);
  } else if (typeof key === 'string') {
    // Buffer.from(…, 'base64') skips what it cannot read: check the alphabet first.
    if (!base64Pattern.test(key)) return 'must be base64 or base64url text (or a Uint8Array)';
    bytes = Buffer.from(key, key.includes('-') || key.includes('_') ? 'base64url' : 'base64');
  } else {
    return 'must be a Uint8Array/Buffer or a base64 string of 32 bytes';
  }
  if (bytes.length !== keyLength) {
    const length = bytes.length;
    bytes.fill(0);
    return `must be exactly ${keyLength} bytes (AES-256), got ${length}`;
  }
  return bytes;
}
