import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../src/stores/memory.js';
import type { ItemKey, LinkRecord, StoredItem, TokenStore } from '../../src/stores/token-store.js';
import { type TokenStoreContractCase, tokenStoreContract } from '../../src/testing/index.js';

// The contract is only worth something if it catches broken stores: each flawed store below must
// fail the named case(s) and pass the others that do not touch its flaw.

/** Keys records by `${userId}:${itemId}` in one flat map: look-alike ids collide. */
class FlatKeyStore implements TokenStore {
  readonly map = new Map<string, StoredItem>();
  async get(key: ItemKey) {
    const item = this.map.get(`${key.userId}:${key.itemId}`);
    return item && structuredClone(item);
  }
  async set(item: StoredItem) {
    this.map.set(`${item.userId}:${item.itemId}`, structuredClone(item));
  }
  async delete(key: ItemKey) {
    this.map.delete(`${key.userId}:${key.itemId}`);
  }
  async list(userId: string) {
    return [...this.map.values()].filter((item) => item.userId === userId).map((item) => structuredClone(item));
  }
  async findByItemId(itemId: string) {
    const item = [...this.map.values()].find((other) => other.itemId === itemId);
    return item && structuredClone(item);
  }
}

/** Hands out the objects it holds. */
class SharingStore extends MemoryTokenStore {
  readonly items = new Map<string, StoredItem>();
  override async get(key: ItemKey) {
    return this.items.get(JSON.stringify([key.userId, key.itemId]));
  }
  override async set(item: StoredItem) {
    this.items.set(JSON.stringify([item.userId, item.itemId]), item);
  }
  override async delete(key: ItemKey) {
    this.items.delete(JSON.stringify([key.userId, key.itemId]));
  }
  override async list(userId: string) {
    return [...this.items.values()].filter((item) => item.userId === userId);
  }
  override async findByItemId(itemId: string) {
    return [...this.items.values()].find((item) => item.itemId === itemId);
  }
}

/** A 0.1-era store: no findByItemId. */
class NoFinderStore implements TokenStore {
  readonly inner = new MemoryTokenStore();
  get = (key: ItemKey) => this.inner.get(key);
  set = (item: StoredItem) => this.inner.set(item);
  delete = (key: ItemKey) => this.inner.delete(key);
  list = (userId: string) => this.inner.list(userId);
}

/** Keeps only the 0.1 fields, as a store written before health existed would. */
class ForgetfulStore extends MemoryTokenStore {
  override async set(item: StoredItem) {
    const { health: _health, accounts: _accounts, ...rest } = item;
    await super.set(rest);
  }
}

/** Keeps only the 0.2 fields, as a store written before getItem's details existed would. */
class DetailsForgettingStore extends MemoryTokenStore {
  override async set(item: StoredItem) {
    const { institutionName: _name, itemCreatedAt: _created, consent: _consent, ...rest } = item;
    await super.set(rest);
  }
}

/** Keeps the details but returns the consent's expiry as a string, as a naive JSON store would. */
class StringConsentDateStore extends MemoryTokenStore {
  override async get(key: ItemKey) {
    const item = await super.get(key);
    if (!item?.consent?.expiresAt) return item;
    return {
      ...item,
      consent: { ...item.consent, expiresAt: item.consent.expiresAt.toISOString() },
    } as unknown as StoredItem;
  }
}

/** Keeps health but returns its dates as strings, as a naive JSON store would. */
class StringHealthDateStore extends MemoryTokenStore {
  override async get(key: ItemKey) {
    const item = await super.get(key);
    if (!item?.health) return item;
    return { ...item, health: { ...item.health, since: item.health.since.toISOString() } } as unknown as StoredItem;
  }
}

/** Returns createdAt as a string, as a naive JSON store would. */
class StringDateStore extends MemoryTokenStore {
  override async get(key: ItemKey) {
    const item = await super.get(key);
    return item && ({ ...item, createdAt: item.createdAt.toISOString() } as unknown as StoredItem);
  }
}

/** Throws when asked to delete what it does not hold. */
class StrictDeleteStore extends MemoryTokenStore {
  override async delete(key: ItemKey) {
    if (!(await this.get(key))) throw new Error('not found');
    await super.delete(key);
  }
}

/** Loses writes that overlap (read-modify-write of a whole user record, with a yield in between). */
class LostUpdateStore extends MemoryTokenStore {
  readonly records = new Map<string, StoredItem[]>();
  override async set(item: StoredItem) {
    const current = [...(this.records.get(item.userId) ?? [])];
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.records.set(item.userId, [...current.filter((other) => other.itemId !== item.itemId), structuredClone(item)]);
    await super.set(item);
  }
  override async delete(key: ItemKey) {
    const current = this.records.get(key.userId) ?? [];
    this.records.set(
      key.userId,
      current.filter((other) => other.itemId !== key.itemId),
    );
    await super.delete(key);
  }
  override async list(userId: string) {
    return (this.records.get(userId) ?? []).map((item) => structuredClone(item));
  }
}

async function failures(store: () => TokenStore): Promise<string[]> {
  const failed: string[] = [];
  // The link-record cases have a test of their own below (these stores are about Items).
  for (const c of tokenStoreContract(store).filter((c) => !c.name.startsWith('link records:'))) {
    await c.run().catch(() => failed.push(c.name));
  }
  return failed;
}

function names(predicate: (name: string) => boolean): string[] {
  return tokenStoreContract(() => new MemoryTokenStore())
    .map((c: TokenStoreContractCase) => c.name)
    .filter(predicate);
}

describe('tokenStoreContract', () => {
  it('is a list of named cases with run functions that need no `this`', async () => {
    const cases = tokenStoreContract(() => new MemoryTokenStore());
    expect(cases.length).toBeGreaterThanOrEqual(9);
    for (const { run } of cases) await run();
  });

  it('calls makeStore once per case, and accepts an async factory', async () => {
    let made = 0;
    const cases = tokenStoreContract(async () => {
      made += 1;
      return new MemoryTokenStore();
    });
    for (const c of cases) await c.run();
    expect(made).toBe(cases.length);
  });

  it('catches a store whose keys collide for look-alike ids', async () => {
    expect(await failures(() => new FlatKeyStore())).toEqual(names((n) => n.includes('never cross users')));
  });

  it('catches a store that hands out the objects it holds', async () => {
    expect(await failures(() => new SharingStore())).toEqual(names((n) => n.includes('does not change the store')));
  });

  it('catches a store that returns createdAt as a string', async () => {
    const failed = await failures(() => new StringDateStore());
    expect(failed).toContain(names((n) => n.startsWith('get returns what set stored'))[0]);
  });

  it('catches a store that throws when deleting a missing Item', async () => {
    expect(await failures(() => new StrictDeleteStore())).toEqual(names((n) => n.startsWith('delete removes')));
  });

  it('catches a store that loses concurrent writes', async () => {
    expect(await failures(() => new LostUpdateStore())).toEqual(names((n) => n.startsWith('concurrent writes')));
  });

  it('catches a store without findByItemId, naming the webhooks need', async () => {
    const failed = await failures(() => new NoFinderStore());
    expect(failed).toEqual(names((n) => n.includes('findByItemId')));
    const [finderCase] = tokenStoreContract(() => new NoFinderStore()).filter((c) => c.name.startsWith('findByItemId'));
    await expect(finderCase?.run()).rejects.toThrow(/webhooks\.handle needs it/);
  });

  it('catches a store without link records, naming what needs them', async () => {
    const cases = tokenStoreContract(() => new NoFinderStore()).filter((c) => c.name.startsWith('link records:'));
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) await expect(c.run()).rejects.toThrow(/completeLink, LINK webhooks and users\.ensure need/);
  });

  it('catches a store whose set-if-absent is not atomic', async () => {
    class RacyStore extends MemoryTokenStore {
      override async setLinkRecord(record: LinkRecord, expected?: string | null) {
        const current = await this.getLinkRecord(record.key);
        await new Promise((resolve) => setImmediate(resolve));
        if (expected === null && current) return false;
        return super.setLinkRecord(record);
      }
    }
    const [race] = tokenStoreContract(() => new RacyStore()).filter((c) => c.name.includes('exactly one winner'));
    await expect(race?.run()).rejects.toThrow(/one winner/);
  });

  it('catches a store that drops health and accounts', async () => {
    const failed = await failures(() => new ForgetfulStore());
    expect(failed).toContain(names((n) => n.startsWith('health (with its dates)'))[0]);
    expect(failed).toContain(names((n) => n.startsWith('get returns what set stored'))[0]);
  });

  it("catches a store that drops getItem's details, or returns the consent's date as a string", async () => {
    const failed = await failures(() => new DetailsForgettingStore());
    expect(failed).toContain(names((n) => n.startsWith("getItem's details"))[0]);
    expect(failed).toContain(names((n) => n.startsWith('get returns what set stored'))[0]);
    expect(failed).not.toContain(names((n) => n.startsWith('the details are optional'))[0]);
    expect(await failures(() => new StringConsentDateStore())).toContain(
      names((n) => n.startsWith("getItem's details"))[0],
    );
  });

  it('catches a store that returns health dates as strings', async () => {
    const failed = await failures(() => new StringHealthDateStore());
    expect(failed).toContain(names((n) => n.startsWith('health (with its dates)'))[0]);
  });

  it('deletes what a passing case wrote', async () => {
    const store = new MemoryTokenStore();
    const users = new Set<string>();
    const spy: TokenStore = {
      get: (key) => store.get(key),
      set: (item) => {
        users.add(item.userId);
        return store.set(item);
      },
      delete: (key) => store.delete(key),
      list: (userId) => store.list(userId),
      findByItemId: (itemId) => store.findByItemId(itemId),
      getLinkRecord: (key) => store.getLinkRecord(key),
      setLinkRecord: (record, expected) => store.setLinkRecord(record, expected),
      deleteLinkRecord: (key, expected) => store.deleteLinkRecord(key, expected),
    };
    for (const c of tokenStoreContract(() => spy)) await c.run();
    expect(users.size).toBeGreaterThan(0);
    for (const userId of users) expect(await store.list(userId)).toEqual([]);
  });
});
