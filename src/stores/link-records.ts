import { InvalidArgumentError } from '../errors.js';
import type { LinkRecord } from './token-store.js';

/** The longest link-record key, in characters (printable ASCII only). */
export const MAX_LINK_RECORD_KEY_LENGTH = 300;
/** The longest link-record value, in characters. */
export const MAX_LINK_RECORD_VALUE_LENGTH = 4096;

const printableAscii = /^[\x21-\x7e]+$/;

/** Throws `InvalidArgumentError` when a link record's key (and value, when given) breaks the rules. */
export function checkLinkRecord(key: unknown, value?: unknown): void {
  const issues: Array<{ path: string[]; message: string }> = [];
  if (typeof key !== 'string' || !printableAscii.test(key) || key.length > MAX_LINK_RECORD_KEY_LENGTH) {
    issues.push({ path: ['key'], message: `must be 1-${MAX_LINK_RECORD_KEY_LENGTH} printable ASCII characters` });
  }
  if (value !== undefined && (typeof value !== 'string' || value.length > MAX_LINK_RECORD_VALUE_LENGTH)) {
    issues.push({ path: ['value'], message: `must be a string of at most ${MAX_LINK_RECORD_VALUE_LENGTH} characters` });
  }
  if (issues.length > 0) throw new InvalidArgumentError('link record', issues);
}

/**
 * Link records in process memory (the `MemoryTokenStore`'s): each operation is atomic because it
 * runs without an `await`. A record past its `expiresAt` reads as absent.
 */
export class MemoryLinkRecords {
  readonly #records = new Map<string, { value: string; expiresAt: number | undefined }>();

  /** The live record under `key`, if any. */
  get(key: string): LinkRecord | undefined {
    checkLinkRecord(key);
    const found = this.#live(key);
    return found && { key, value: found.value, expiresAt: dateOf(found.expiresAt) };
  }

  /** Writes when `expected` holds (see `TokenStore.setLinkRecord`). */
  set(record: LinkRecord, expected?: string | null): boolean {
    checkLinkRecord(record.key, record.value);
    const current = this.#live(record.key);
    if (expected === null && current) return false;
    if (typeof expected === 'string' && current?.value !== expected) return false;
    this.#records.set(record.key, { value: record.value, expiresAt: record.expiresAt?.getTime() });
    return true;
  }

  /** Deletes when `expected` (if given) is the value. */
  delete(key: string, expected?: string): boolean {
    checkLinkRecord(key);
    const current = this.#live(key);
    if (!current || (expected !== undefined && current.value !== expected)) return false;
    return this.#records.delete(key);
  }

  #live(key: string): { value: string; expiresAt: number | undefined } | undefined {
    const found = this.#records.get(key);
    if (found?.expiresAt !== undefined && found.expiresAt <= Date.now()) {
      this.#records.delete(key);
      return undefined;
    }
    return found;
  }
}

function dateOf(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}
