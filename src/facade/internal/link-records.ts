import { createHash } from 'node:crypto';
import { TokenStoreError } from '../../errors.js';
import { MemoryLinkRecords } from '../../stores/link-records.js';
import type { LinkRecord } from '../../stores/token-store.js';
import { type FacadeContext, storeBound } from './context.js';

/** Link records as the facade uses them: each call bounded by `tokenStoreTimeoutMs`. */
export interface LinkRecords {
  get(key: string): Promise<LinkRecord | undefined>;
  set(record: LinkRecord, expected?: string | null): Promise<boolean>;
  delete(key: string, expected?: string): Promise<boolean>;
  /** True when the records live in the token store (shared by processes), false for this process's fallback. */
  readonly shared: boolean;
}

// A store without link records still gets exactly-once exchanges within one process.
const fallbacks = new WeakMap<FacadeContext, MemoryLinkRecords>();

/**
 * The facade's link records: the token store's, or, when `required` is false and the store has
 * none, a fallback in this process's memory (exchanges are then exactly-once within this process
 * only). With `required`, a store without them fails with `TokenStoreError` `TOKEN_STORE_UNSUPPORTED`
 * naming the feature.
 */
export function linkRecords(context: FacadeContext, feature: string | undefined): LinkRecords {
  const store = context.store;
  if (
    typeof store.getLinkRecord === 'function' &&
    typeof store.setLinkRecord === 'function' &&
    typeof store.deleteLinkRecord === 'function'
  ) {
    const { getLinkRecord, setLinkRecord, deleteLinkRecord } = store;
    return {
      shared: true,
      get: (key) => storeBound(context, 'Reading a link record', undefined, () => getLinkRecord.call(store, key)),
      set: (record, expected) =>
        storeBound(context, 'Writing a link record', undefined, () => setLinkRecord.call(store, record, expected)),
      delete: (key, expected) =>
        storeBound(context, 'Deleting a link record', undefined, () => deleteLinkRecord.call(store, key, expected)),
    };
  }
  if (feature !== undefined) {
    throw new TokenStoreError(
      `${feature} needs link records in the token store (getLinkRecord, setLinkRecord, deleteLinkRecord), which this store lacks; every shipped store has them`,
      { code: 'TOKEN_STORE_UNSUPPORTED' },
    );
  }
  return localLinkRecords(context);
}

/** This process's link records for `context` (the fallback when the store has none, or fails). */
export function localLinkRecords(context: FacadeContext): LinkRecords {
  let memory = fallbacks.get(context);
  if (!memory) {
    memory = new MemoryLinkRecords();
    fallbacks.set(context, memory);
  }
  const records = memory;
  return {
    shared: false,
    get: async (key) => records.get(key),
    set: async (record, expected) => records.set(record, expected),
    delete: async (key, expected) => records.delete(key, expected),
  };
}

/** A SHA-256 digest (hex) of a token: what link records keep instead of the token itself. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
