import { randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../../src/stores/encrypted.js';

/** A fresh random AES-256 key with the given id. */
export function newKey(id: string): EncryptionKey & { key: Buffer } {
  return { id, key: randomBytes(32) };
}
