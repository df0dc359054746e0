import { copyItem } from './copy-item.js';
import { checkIds } from './ids.js';
import { MemoryLinkRecords } from './link-records.js';
import type { ItemKey, LinkRecord, StoredItem, TokenStore } from './token-store.js';

/**
 * A `TokenStore` in process memory: the default. Tokens are lost when the process ends, so use it
 * for tests, demos and short-lived scripts; use a persistent store (wrapped in
 * `EncryptedTokenStore`) in production. Ids follow the rule of every shipped store (`idProblem`):
 * a bad one is refused with `InvalidArgumentError`, so a test against it fails as production would.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #users = new Map<string, Map<string, StoredItem>>();
  // item id -> user id of the last write, for findByItemId (webhooks name only the Item).
  readonly #owners = new Map<string, string>();
  readonly #linkRecords = new MemoryLinkRecords();

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const item = this.#users.get(key.userId)?.get(key.itemId);
    return item ? copyItem(item) : undefined;
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    checkIds('token store key', { userId: item.userId, itemId: item.itemId });
    let items = this.#users.get(item.userId);
    if (!items) {
      items = new Map();
      this.#users.set(item.userId, items);
    }
    items.set(item.itemId, copyItem(item));
    this.#owners.set(item.itemId, item.userId);
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    checkIds('token store key', { userId: key.userId, itemId: key.itemId });
    const items = this.#users.get(key.userId);
    items?.delete(key.itemId);
    if (items?.size === 0) this.#users.delete(key.userId);
    if (this.#owners.get(key.itemId) === key.userId) this.#owners.delete(key.itemId);
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    checkIds('token store key', { userId });
    return [...(this.#users.get(userId)?.values() ?? [])].map(copyItem);
  }

  /** @inheritDoc */
  async findByItemId(itemId: string): Promise<StoredItem | undefined> {
    checkIds('token store key', { itemId });
    const userId = this.#owners.get(itemId);
    if (userId !== undefined) return this.get({ userId, itemId });
    // The last writer deleted its copy while another user still holds the same Item id.
    for (const [otherUser, items] of this.#users) {
      if (items.has(itemId)) return this.get({ userId: otherUser, itemId });
    }
    return undefined;
  }

  /** @inheritDoc */
  async getLinkRecord(key: string): Promise<LinkRecord | undefined> {
    return this.#linkRecords.get(key);
  }

  /** @inheritDoc */
  async setLinkRecord(record: LinkRecord, expected?: string | null): Promise<boolean> {
    return this.#linkRecords.set(record, expected);
  }

  /** @inheritDoc */
  async deleteLinkRecord(key: string, expected?: string): Promise<boolean> {
    return this.#linkRecords.delete(key, expected);
  }
}
