import { InvalidArgumentError, TokenStoreError } from '../errors.js';
import { registerTokenKeys } from './balance-cipher.js';
import { copyItem } from './copy-item.js';
import { type EncryptionKey, type ParsedKey, parseKeys } from './encryption-keys.js';
import { checkIds } from './ids.js';
import { storeCall } from './store-error.js';
import { decryptToken, encryptedPrefix, encryptToken, keyIdOf } from './token-cipher.js';
import type { ItemKey, LinkRecord, ListedRecords, StoredItem, TokenStore } from './token-store.js';

export type { EncryptionKey } from './encryption-keys.js';
export type { DecryptFailureCode } from './token-cipher.js';

/** Options of `EncryptedTokenStore`. */
export interface EncryptedTokenStoreOptions {
  /** The store that keeps the records; it only ever sees encrypted access tokens. */
  store: TokenStore;
  /**
   * The keys, newest first: the first encrypts every write, every listed key decrypts. To rotate,
   * put a new key first and keep the old ones until `reencrypt` has run for every user.
   */
  keys: ReadonlyArray<EncryptionKey>;
  /**
   * Read records whose access token is still plaintext (written before encryption was turned on)
   * instead of failing with `TOKEN_NOT_ENCRYPTED`. `reencrypt` encrypts them. Default `false`:
   * turn it on only for the migration, then off again.
   */
  allowPlaintext?: boolean;
}

/** A record `reencrypt` could not move to the current key. */
export interface ReencryptFailure {
  /** The Item whose record was left as it was. */
  itemId: string;
  /** Why: a `DecryptFailureCode` (e.g. `'TOKEN_KEY_UNKNOWN'`), or the store's error code. */
  code: string;
  /** The error, which holds no token or key. */
  error: TokenStoreError;
}

/** What `reencrypt` did for one user. */
export interface ReencryptResult {
  /** How many records were rewritten under the current key. */
  rewritten: number;
  /**
   * Records that could not be rewritten (undecryptable, or the store failed for them); the others
   * were rewritten all the same. Empty when every record is under the current key.
   */
  failed: ReencryptFailure[];
}

/**
 * A `TokenStore` that encrypts access tokens before they reach another store (Redis, PostgreSQL,
 * your own). AES-256-GCM from `node:crypto`, a fresh 12-byte IV per write; the user id and Item
 * id are bound in as associated data, so a record copied to another user or Item fails to
 * decrypt. The stored `accessToken` reads `pfenc:v1:<keyId>:<iv>:<tag>:<ciphertext>`; the other
 * fields (ids, institution, createdAt, health, account names and masks, `getItem`'s details) are
 * stored as they are: they are no key to bank data, the inner store indexes the Item id, and
 * operators can read an Item's health without the keys. A mask is at most the last four characters of an account number.
 *
 * A token that cannot be decrypted fails with a `TokenStoreError` whose `code` is one of
 * `DecryptFailureCode`; failures of the inner store are `TokenStoreError`s too. No error holds a
 * token or a key.
 */
export class EncryptedTokenStore implements TokenStore {
  readonly #inner: TokenStore;
  readonly #current: ParsedKey;
  readonly #keys: ReadonlyMap<string, ParsedKey>;
  readonly #allowPlaintext: boolean;

  /** @throws InvalidArgumentError when `store` is missing or a key is malformed, duplicated or not 32 bytes */
  constructor(options: EncryptedTokenStoreOptions) {
    const store = (options as Partial<EncryptedTokenStoreOptions> | undefined)?.store;
    if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') {
      throw new InvalidArgumentError('EncryptedTokenStore options', [
        { path: ['store'], message: 'must be a TokenStore to wrap' },
      ]);
    }
    const keys = parseKeys(options.keys);
    this.#inner = store;
    this.#current = keys[0] as ParsedKey;
    this.#keys = new Map(keys.map((key) => [key.id, key]));
    this.#allowPlaintext = options.allowPlaintext ?? false;
    // A RedisBalanceCache of the same facade encrypts its entries with these keys.
    registerTokenKeys(this, keys);
  }

  /** The id of the key new writes are encrypted with (the first listed). */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const stored = await storeCall('Reading from the token store', { itemId: key.itemId }, () => this.#inner.get(key));
    return stored && this.#decrypt(stored, key);
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    // The ids are bound into the ciphertext as UTF-8: an id that UTF-8 cannot hold exactly (a lone
    // surrogate) would collide with another, so it is refused before anything is written.
    checkIds('token store key', { userId: item.userId, itemId: item.itemId });
    const encrypted = { ...item, accessToken: encryptToken(item.accessToken, item, this.#current) };
    await storeCall('Writing to the token store', { itemId: item.itemId, secrets: [item.accessToken] }, () =>
      this.#inner.set(encrypted),
    );
  }

  /** Checks the wrapped store (its `probe`, when it has one). */
  async probe(): Promise<void> {
    const probe = this.#inner.probe?.bind(this.#inner);
    if (probe !== undefined) await storeCall('Checking the token store', {}, probe);
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    await storeCall('Deleting from the token store', { itemId: key.itemId }, () => this.#inner.delete(key));
  }

  /**
   * @inheritDoc
   * @throws TokenStoreError when any of the user's tokens cannot be decrypted
   */
  async list(userId: string): Promise<StoredItem[]> {
    checkIds('token store key', { userId });
    const stored = await storeCall('Listing the token store', {}, () => this.#inner.list(userId));
    // Decrypt against the asked-for user, not the record's own field: a record placed in this
    // user's list from elsewhere then fails instead of leaking in.
    return stored.map((item) => this.#decrypt(item, { userId, itemId: item.itemId }));
  }

  /**
   * Like `list`, but each record is decrypted on its own: one that cannot be (its key was dropped,
   * it was tampered with, it is not a record) is reported in `unreadable` with its Item id and the
   * others are returned. When the wrapped store has `listRecords`, the records it could not read
   * are reported too.
   */
  async listRecords(userId: string): Promise<ListedRecords> {
    checkIds('token store key', { userId });
    const listed = await this.#innerRecords(userId);
    const result: ListedRecords = { items: [], unreadable: [...listed.unreadable] };
    for (const item of listed.items) {
      try {
        result.items.push(this.#decrypt(item, { userId, itemId: item.itemId }));
      } catch (failure) {
        result.unreadable.push({ itemId: item.itemId, error: asStoreError(failure, item.itemId) });
      }
    }
    return result;
  }

  /**
   * @inheritDoc
   * @throws TokenStoreError when the wrapped store has no `findByItemId`
   */
  async findByItemId(itemId: string): Promise<StoredItem | undefined> {
    checkIds('token store key', { itemId });
    const inner = this.#inner;
    if (typeof inner.findByItemId !== 'function') {
      throw new TokenStoreError(
        'The store wrapped by EncryptedTokenStore has no findByItemId(itemId), which webhooks need to find an Item by its id',
        { code: 'TOKEN_STORE_UNSUPPORTED', itemId },
      );
    }
    const stored = await storeCall('Reading from the token store', { itemId }, () =>
      (inner.findByItemId as (id: string) => Promise<StoredItem | undefined>).call(inner, itemId),
    );
    // The record's own ids are bound into its ciphertext: a record moved elsewhere fails here.
    return stored && this.#decrypt(stored, { userId: stored.userId, itemId });
  }

  /**
   * @inheritDoc
   * @throws TokenStoreError when the wrapped store has no link records
   */
  async getLinkRecord(key: string): Promise<LinkRecord | undefined> {
    // Link records hold digests and ids, never a token: they pass through unencrypted.
    const inner = linkRecordsOf(this.#inner);
    return storeCall('Reading a link record', {}, () => inner.getLinkRecord.call(this.#inner, key));
  }

  /**
   * @inheritDoc
   * @throws TokenStoreError when the wrapped store has no link records
   */
  async setLinkRecord(record: LinkRecord, expected?: string | null): Promise<boolean> {
    const inner = linkRecordsOf(this.#inner);
    return storeCall('Writing a link record', {}, () => inner.setLinkRecord.call(this.#inner, record, expected));
  }

  /**
   * @inheritDoc
   * @throws TokenStoreError when the wrapped store has no link records
   */
  async deleteLinkRecord(key: string, expected?: string): Promise<boolean> {
    const inner = linkRecordsOf(this.#inner);
    return storeCall('Deleting a link record', {}, () => inner.deleteLinkRecord.call(this.#inner, key, expected));
  }

  /**
   * Rewrites every stored Item of `userId` that is not under the current key (or is still
   * plaintext, with `allowPlaintext`) so it is. Run it for every user after putting a new key
   * first; when every run reports no `failed` records, the old key can be dropped from the list.
   *
   * A record that cannot be rewritten (it cannot be decrypted, e.g. its key was already removed,
   * or the store fails for it) does not stop the others: it is left as it was and listed in
   * `failed`. Such a record can be deleted with `delete` (or the facade's `removeItem` with
   * `unreadable: 'delete'`); its Item must then be removed at Plaid from the Dashboard.
   *
   * A record is rewritten only if it still holds what was read a moment before, so a token
   * written concurrently is not replaced by an older one (the check and the write are two calls,
   * so prefer a quiet moment for very busy users).
   *
   * @throws TokenStoreError when the user's records cannot be listed
   */
  async reencrypt(userId: string): Promise<ReencryptResult> {
    checkIds('token store key', { userId });
    const listed = await this.#innerRecords(userId);
    // Records the wrapped store cannot even parse are reported; the others are moved all the same.
    const result: ReencryptResult = {
      rewritten: 0,
      failed: listed.unreadable.map(({ itemId, error }) => ({ itemId, code: error.code, error })),
    };
    for (const item of listed.items) {
      if (keyIdOf(item.accessToken) === this.#current.id) continue;
      const key = { userId, itemId: item.itemId };
      try {
        const plain = this.#decrypt(item, key);
        const latest = await storeCall('Reading from the token store', { itemId: key.itemId }, () =>
          this.#inner.get(key),
        );
        if (latest?.accessToken !== item.accessToken) continue;
        await this.set(plain);
        result.rewritten += 1;
      } catch (failure) {
        const error = asStoreError(failure, key.itemId);
        result.failed.push({ itemId: key.itemId, code: error.code, error });
      }
    }
    return result;
  }

  /** The wrapped store's records: through its `listRecords` when it has one, else its `list`. */
  async #innerRecords(userId: string): Promise<ListedRecords> {
    const inner = this.#inner;
    const listRecords = inner.listRecords;
    return storeCall('Listing the token store', {}, async () =>
      typeof listRecords === 'function'
        ? listRecords.call(inner, userId)
        : { items: await inner.list(userId), unreadable: [] },
    );
  }

  #decrypt(stored: StoredItem, key: ItemKey): StoredItem {
    const plaintext = this.#allowPlaintext && !stored.accessToken.startsWith(encryptedPrefix);
    const accessToken = plaintext ? stored.accessToken : decryptToken(stored.accessToken, key, this.#keys);
    return { ...copyItem(stored), userId: key.userId, itemId: key.itemId, accessToken };
  }
}

/** A failure about one record, as a `TokenStoreError` (decryption failures already are). */
function asStoreError(failure: unknown, itemId: string): TokenStoreError {
  if (failure instanceof TokenStoreError) return failure;
  return new TokenStoreError(`Reading the record of Item ${JSON.stringify(itemId)} failed`, {
    cause: failure,
    itemId,
  });
}

/** The wrapped store's link records (passed through unencrypted: they hold no token). */
function linkRecordsOf(
  store: TokenStore,
): Required<Pick<TokenStore, 'getLinkRecord' | 'setLinkRecord' | 'deleteLinkRecord'>> {
  const { getLinkRecord, setLinkRecord, deleteLinkRecord } = store;
  if (
    typeof getLinkRecord !== 'function' ||
    typeof setLinkRecord !== 'function' ||
    typeof deleteLinkRecord !== 'function'
  ) {
    throw new TokenStoreError(
      'The store wrapped by EncryptedTokenStore has no link records (getLinkRecord, setLinkRecord, deleteLinkRecord), which exactly-once exchanges across processes, completeLink, LINK webhooks and users.ensure need',
      { code: 'TOKEN_STORE_UNSUPPORTED' },
    );
  }
  return { getLinkRecord, setLinkRecord, deleteLinkRecord };
}
