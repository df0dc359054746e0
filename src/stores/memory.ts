import type { ItemKey, StoredItem, TokenStore } from './token-store.js';

/**
 * A `TokenStore` in process memory: the default. Tokens are lost when the process ends, so use it
 * for tests, demos and short-lived scripts; use a persistent store (wrapped in
 * `EncryptedTokenStore`) in production.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #users = new Map<string, Map<string, StoredItem>>();

  /** @inheritDoc */
  async get(key: ItemKey): Promise<StoredItem | undefined> {
    const item = this.#users.get(key.userId)?.get(key.itemId);
    return item ? copy(item) : undefined;
  }

  /** @inheritDoc */
  async set(item: StoredItem): Promise<void> {
    let items = this.#users.get(item.userId);
    if (!items) {
      items = new Map();
      this.#users.set(item.userId, items);
    }
    items.set(item.itemId, copy(item));
  }

  /** @inheritDoc */
  async delete(key: ItemKey): Promise<void> {
    const items = this.#users.get(key.userId);
    items?.delete(key.itemId);
    if (items?.size === 0) this.#users.delete(key.userId);
  }

  /** @inheritDoc */
  async list(userId: string): Promise<StoredItem[]> {
    return [...(this.#users.get(userId)?.values() ?? [])].map(copy);
  }
}

// Copies keep callers from changing what the store holds through a returned object.
function copy(item: StoredItem): StoredItem {
  return { ...item, createdAt: new Date(item.createdAt.getTime()) };
}
