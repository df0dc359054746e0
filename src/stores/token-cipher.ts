import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenStoreError } from '../errors.js';
import type { ParsedKey } from './encryption-keys.js';
import type { ItemKey } from './token-store.js';

/**
 * The encrypted form of an access token, as kept in the backing store:
 * `pfenc:v1:<keyId>:<iv>:<tag>:<ciphertext>`, the last three in base64url.
 * AES-256-GCM with a fresh 12-byte IV per write and a 16-byte tag.
 */
export const encryptedPrefix = 'pfenc:';
const version = 'v1';
const ivLength = 12;
const tagLength = 16;

/** Codes of the `TokenStoreError`s thrown when a stored token cannot be decrypted. */
export type DecryptFailureCode =
  | 'TOKEN_NOT_ENCRYPTED'
  | 'TOKEN_FORMAT_INVALID'
  | 'TOKEN_KEY_UNKNOWN'
  | 'TOKEN_DECRYPT_FAILED';

/** Encrypts `token` for the Item `key` under `encryptionKey`. */
export function encryptToken(token: string, key: ItemKey, encryptionKey: ParsedKey): string {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey.secret, iv, { authTagLength: tagLength });
  cipher.setAAD(associatedData(encryptionKey.id, key));
  const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [`${encryptedPrefix}${version}`, encryptionKey.id, b64(iv), b64(tag), b64(ciphertext)].join(':');
}

/** The id of the key a stored token was encrypted with, or `undefined` if it is not one of ours. */
export function keyIdOf(stored: string): string | undefined {
  const parts = stored.split(':');
  return parts.length === 6 && stored.startsWith(`${encryptedPrefix}${version}:`) ? parts[2] : undefined;
}

/**
 * Decrypts a stored token of the Item `key`. Throws `TokenStoreError` (never quoting the stored
 * value) when it is not encrypted, malformed, under an unknown key, tampered with, or was written
 * for another user or Item.
 */
export function decryptToken(stored: string, key: ItemKey, keys: ReadonlyMap<string, ParsedKey>): string {
  const where = `user ${JSON.stringify(key.userId)}, Item ${JSON.stringify(key.itemId)}`;
  const fail = (code: DecryptFailureCode, message: string): TokenStoreError =>
    new TokenStoreError(`Cannot decrypt the access token of ${where}: ${message}`, { code, itemId: key.itemId });

  if (!stored.startsWith(encryptedPrefix)) {
    throw fail(
      'TOKEN_NOT_ENCRYPTED',
      'the stored token is not encrypted (written without EncryptedTokenStore?). To move plaintext tokens over, ' +
        'pass allowPlaintext: true to EncryptedTokenStore (reads them as they are) and run reencrypt(userId) for each user',
    );
  }
  const parts = stored.split(':');
  if (parts.length !== 6 || parts[1] !== version) {
    throw fail('TOKEN_FORMAT_INVALID', `not a ${encryptedPrefix}${version} record`);
  }
  const [, , keyId = '', ivText = '', tagText = '', ciphertextText = ''] = parts;
  const encryptionKey = keys.get(keyId);
  if (!encryptionKey) {
    throw fail('TOKEN_KEY_UNKNOWN', `it was encrypted with key ${JSON.stringify(keyId)}, which is not in the key list`);
  }
  const iv = fromB64(ivText);
  const tag = fromB64(tagText);
  const ciphertext = fromB64(ciphertextText);
  if (!iv || iv.length !== ivLength || !tag || tag.length !== tagLength || !ciphertext) {
    throw fail('TOKEN_FORMAT_INVALID', 'malformed IV, tag or ciphertext');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey.secret, iv, { authTagLength: tagLength });
    decipher.setAAD(associatedData(keyId, key));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM says only "unable to authenticate": the record was changed, or belongs to another Item.
    throw fail(
      'TOKEN_DECRYPT_FAILED',
      'authentication failed (record tampered with, or moved from another user or Item)',
    );
  }
}

// Binds the ciphertext to its version, key id, user and Item. Each part is length-prefixed so no
// two different (userId, itemId) pairs encode alike, e.g. ("a:b", "c") and ("a", "b:c").
function associatedData(keyId: string, key: ItemKey): Buffer {
  const parts = ['plaid-facade token', version, keyId, key.userId, key.itemId].map((part) => Buffer.from(part, 'utf8'));
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    chunks.push(length, part);
  }
  return Buffer.concat(chunks);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function fromB64(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
}
