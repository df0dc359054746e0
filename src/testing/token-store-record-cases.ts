/**
 * The token store contract's cases on what a record holds: every field of a `StoredItem` comes
 * back as set (and the optional ones as undefined), from `get`, `list` and `findByItemId`.
 */
import { randomUUID } from 'node:crypto';
import type { ItemHealth } from '../stores/token-store.js';
import { assertSameItem, finder, sampleAccounts, sampleConsent, sampleHealth } from './token-store-assertions.js';
import type { ContractCase } from './token-store-scope.js';

/** Cases on the fields of a stored Item. */
export const recordCases: ContractCase[] = [
  {
    name: 'get returns what set stored, every field, createdAt as a Date',
    async check(s) {
      const item = s.item(s.user('u1'), 'item-1');
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get');
    },
  },
  {
    name: 'institutionId is optional and comes back undefined when not set',
    async check(s) {
      const item = s.item(s.user('u1'), 'item-no-institution', { institutionId: undefined });
      delete item.institutionId;
      await s.set(item);
      const got = await s.store.get({ userId: item.userId, itemId: item.itemId });
      assertSameItem(got, { ...item, institutionId: undefined }, 'get');
    },
  },
  {
    name: 'health (with its dates) and accounts come back as set, from get, list and findByItemId',
    async check(s) {
      const item = s.item(s.user('u1'), `item-health-${randomUUID()}`, {
        health: sampleHealth,
        accounts: sampleAccounts,
      });
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get');
      assertSameItem((await s.store.list(item.userId))[0], item, 'list');
      assertSameItem(await finder(s.store)(item.itemId), item, 'findByItemId');
      const every: ItemHealth = {
        status: 'login_required',
        since: new Date(Date.UTC(2025, 3, 1)),
        updatedAt: new Date(Date.UTC(2025, 3, 1, 12)),
        errorCode: 'ITEM_LOGIN_REQUIRED',
        disconnectAt: new Date(Date.UTC(2025, 3, 2)),
        consentExpiresAt: new Date(Date.UTC(2025, 3, 3)),
      };
      const replaced = { ...item, health: every, accounts: [] };
      await s.set(replaced);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), replaced, 'get after set');
    },
  },
  {
    name: 'health and accounts are optional (Items stored before 0.2) and come back undefined',
    async check(s) {
      const item = s.item(s.user('u1'), `item-bare-${randomUUID()}`);
      delete item.health;
      delete item.accounts;
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get');
      // A later write without them removes them: set replaces the whole Item.
      const withHealth = s.item(item.userId, item.itemId, { health: sampleHealth });
      await s.set(withHealth);
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get after unset');
    },
  },
  {
    name: "getItem's details (institutionName, itemCreatedAt, consent with its date) come back as set, from get, list and findByItemId",
    async check(s) {
      const item = s.item(s.user('u1'), `item-details-${randomUUID()}`, { consent: sampleConsent });
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get');
      assertSameItem((await s.store.list(item.userId))[0], item, 'list');
      assertSameItem(await finder(s.store)(item.itemId), item, 'findByItemId');
      const renamed = {
        ...item,
        institutionName: 'Renamed Bank',
        consent: { expiresAt: null, products: [], useCases: [], dataScopes: [] },
      };
      await s.set(renamed);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), renamed, 'get after set');
    },
  },
  {
    name: 'the details are optional (Items stored before 0.3) and come back undefined',
    async check(s) {
      const item = s.item(s.user('u1'), `item-no-details-${randomUUID()}`);
      delete item.institutionName;
      delete item.itemCreatedAt;
      delete item.consent;
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get');
      // A later write without them removes them: set replaces the whole Item.
      await s.set(s.item(item.userId, item.itemId, { consent: sampleConsent }));
      await s.set(item);
      assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, 'get after unset');
    },
  },
];
