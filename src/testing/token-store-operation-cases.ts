/**
 * The token store contract's cases on its operations: finding, replacing, deleting and listing,
 * users and ids kept apart exactly, concurrent writes, and copies in and out.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MAX_ID_LENGTH } from '../stores/ids.js';
import type { StoredItem } from '../stores/token-store.js';
import { assertSameItem, byItemId, finder, sampleHealth } from './token-store-assertions.js';
import type { ContractCase } from './token-store-scope.js';

/** Cases on what the store's operations do. */
export const operationCases: ContractCase[] = [
  {
    name: 'findByItemId finds an Item by its id alone; undefined for an unknown or deleted one',
    async check(s) {
      const find = finder(s.store);
      // Item ids are unique at Plaid; unique per run here, since cases may share a database.
      const itemId = `item-${randomUUID()}`;
      const item = s.item(s.user('u1'), itemId);
      const other = s.item(s.user('u2'), `item-${randomUUID()}`);
      await s.set(item);
      await s.set(other);
      assertSameItem(await find(itemId), item, 'findByItemId');
      assertSameItem(await find(other.itemId), other, 'findByItemId (other user)');
      assert.equal(await find(`item-${randomUUID()}`), undefined, 'unknown Item id');
      const updated = s.item(item.userId, itemId, { health: sampleHealth });
      await s.set(updated);
      assertSameItem(await find(itemId), updated, 'findByItemId after set');
      await s.store.delete({ userId: item.userId, itemId });
      assert.equal(await find(itemId), undefined, 'deleted Item');
      assertSameItem(await find(other.itemId), other, 'the other Item stays findable');
    },
  },
  {
    name: 'get returns undefined for an unknown user or an unknown Item',
    async check(s) {
      const item = s.item(s.user('u1'), 'item-1');
      await s.set(item);
      assert.equal(await s.store.get({ userId: s.user('nobody'), itemId: 'item-1' }), undefined);
      assert.equal(await s.store.get({ userId: item.userId, itemId: 'item-unknown' }), undefined);
    },
  },
  {
    name: 'set replaces the stored Item of the same user and Item id',
    async check(s) {
      const userId = s.user('u1');
      await s.set(s.item(userId, 'item-1'));
      const second = s.item(userId, 'item-1', {
        institutionId: 'ins_3',
        createdAt: new Date(Date.UTC(2025, 6, 1, 0, 0, 0, 1)),
      });
      await s.set(second);
      assertSameItem(await s.store.get({ userId, itemId: 'item-1' }), second, 'get after overwrite');
      const listed = await s.store.list(userId);
      assert.equal(listed.length, 1, 'list after overwrite holds one Item');
      assertSameItem(listed[0], second, 'list after overwrite');
    },
  },
  {
    name: 'delete removes one Item; deleting a missing one is not an error',
    async check(s) {
      const userId = s.user('u1');
      const kept = s.item(userId, 'item-kept');
      await s.set(s.item(userId, 'item-gone'));
      await s.set(kept);
      await s.store.delete({ userId, itemId: 'item-gone' });
      assert.equal(await s.store.get({ userId, itemId: 'item-gone' }), undefined, 'deleted Item is gone');
      assertSameItem(await s.store.get({ userId, itemId: 'item-kept' }), kept, 'other Item stays');
      const listed = await s.store.list(userId);
      assert.deepEqual(
        listed.map((item) => item.itemId),
        ['item-kept'],
        'list after delete',
      );
      await s.store.delete({ userId, itemId: 'item-gone' });
      await s.store.delete({ userId, itemId: 'never-stored' });
      await s.store.delete({ userId: s.user('nobody'), itemId: 'item-kept' });
      assertSameItem(await s.store.get({ userId, itemId: 'item-kept' }), kept, 'after deleting missing Items');
    },
  },
  {
    name: 'list returns every Item of the user, and [] for a user with none',
    async check(s) {
      const userId = s.user('u1');
      const items = [
        s.item(userId, 'item-a'),
        s.item(userId, 'item-b', { institutionId: undefined }),
        s.item(userId, 'item-c'),
      ];
      for (const item of items) await s.set(item);
      const listed = byItemId(await s.store.list(userId));
      assert.equal(listed.length, 3, 'list length');
      for (const [index, item] of items.entries()) assertSameItem(listed[index], item, `list[${item.itemId}]`);
      assert.deepEqual(await s.store.list(s.user('nobody')), []);
    },
  },
  {
    name: 'get, list and delete never cross users, even with look-alike ids',
    async check(s) {
      // Pairs that a naive `userId:itemId` or `userId + itemId` key would confuse.
      const pairs: Array<[string, string]> = [
        [s.user('a:b'), 'c'],
        [s.user('a'), 'b:c'],
        [s.user('a'), 'bc'],
        [s.user('ab'), 'c'],
        [s.user('a b/%3A'), 'c'],
        [s.user('é😀'), 'c'],
      ];
      const items = pairs.map(([userId, itemId]) => s.item(userId, itemId));
      for (const item of items) await s.set(item);
      for (const item of items) {
        assertSameItem(
          await s.store.get({ userId: item.userId, itemId: item.itemId }),
          item,
          `get ${item.userId} / ${item.itemId}`,
        );
      }
      const users = [...new Set(items.map((item) => item.userId))];
      for (const userId of users) {
        const expected = byItemId(items.filter((item) => item.userId === userId));
        const listed = byItemId(await s.store.list(userId));
        assert.deepEqual(
          listed.map((item) => [item.userId, item.itemId, item.accessToken]),
          expected.map((item) => [item.userId, item.itemId, item.accessToken]),
          `list ${userId}`,
        );
      }
      // Same Item id under two users: deleting one leaves the other.
      const [first, second] = [s.item(s.user('x'), 'shared-item'), s.item(s.user('y'), 'shared-item')];
      await s.set(first);
      await s.set(second);
      await s.store.delete({ userId: first.userId, itemId: 'shared-item' });
      assert.equal(await s.store.get({ userId: first.userId, itemId: 'shared-item' }), undefined);
      assertSameItem(
        await s.store.get({ userId: second.userId, itemId: 'shared-item' }),
        second,
        'other user after delete',
      );
      await s.store.delete({ userId: s.user('a'), itemId: 'b:c' });
      assertSameItem(
        await s.store.get({ userId: s.user('a:b'), itemId: 'c' }),
        items[0] as StoredItem,
        'a:b / c after deleting a / b:c',
      );
    },
  },
  {
    name: 'keeps ids with astral characters, combining marks, quotes and near-identical pairs apart, exactly',
    async check(s) {
      // Each pair differs in a way a store could lose: Unicode normalisation (precomposed é vs e +
      // U+0301), case folding, look-alike scripts (Latin a vs Cyrillic а), trailing spaces,
      // zero-width characters, quoting and escaping, and astral characters (two UTF-16 units).
      const ids = [
        'caf\u00e9',
        'cafe\u0301',
        'CAFE',
        'cafe',
        'a',
        '\u0430',
        'a ',
        ' a',
        'a\u200d',
        'a\u200b',
        '\u{1F600}',
        '\u{1F601}',
        '\u{1D400}x',
        "it's",
        'it\u2019s',
        '"quoted"',
        '\\"',
        "'; DROP TABLE x; --",
        '%27',
        '%2527',
        'a:b',
        'a\\b',
        '{}',
        '[]',
        '\ufeffa',
        '\u00a0a',
      ];
      const items = ids.flatMap((id) => [s.item(s.user(id), `item-${id}`), s.item(s.user('same'), id)]);
      for (const item of items) await s.set(item);
      for (const item of items) {
        const label = `get ${JSON.stringify(item.userId)} / ${JSON.stringify(item.itemId)}`;
        assertSameItem(await s.store.get({ userId: item.userId, itemId: item.itemId }), item, label);
      }
      for (const id of ids) {
        const listed = await s.store.list(s.user(id));
        assert.deepEqual(
          listed.map((item) => [item.userId, item.itemId]),
          [[s.user(id), `item-${id}`]],
          `list ${JSON.stringify(id)}`,
        );
      }
      const shared = byItemId(await s.store.list(s.user('same')));
      assert.deepEqual(
        shared.map((item) => item.itemId),
        [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        'list of one user with every id as an Item id',
      );
    },
  },
  {
    name: `keeps user and Item ids of the longest accepted length (${MAX_ID_LENGTH})`,
    async check(s) {
      const prefix = s.user('');
      const userId = `${prefix}${'u'.repeat(MAX_ID_LENGTH - prefix.length - 2)}\u{1F600}`;
      const itemId = '\u{1F600}'.repeat(MAX_ID_LENGTH / 2);
      assert.equal(userId.length, MAX_ID_LENGTH);
      assert.equal(itemId.length, MAX_ID_LENGTH);
      const item = s.item(userId, itemId);
      await s.set(item);
      assertSameItem(await s.store.get({ userId, itemId }), item, 'get');
      assertSameItem((await s.store.list(userId))[0], item, 'list');
    },
  },
  {
    name: 'concurrent writes to different Items of one user all land',
    async check(s) {
      const userId = s.user('u1');
      const items = Array.from({ length: 25 }, (_, index) => s.item(userId, `item-${String(index).padStart(2, '0')}`));
      await Promise.all(items.map((item) => s.set(item)));
      const listed = byItemId(await s.store.list(userId));
      assert.equal(listed.length, items.length, 'every concurrent write is listed');
      for (const [index, item] of items.entries()) assertSameItem(listed[index], item, `list[${item.itemId}]`);
    },
  },
  {
    name: 'changing an object passed to set or returned by get/list does not change the store',
    async check(s) {
      const userId = s.user('u1');
      const item = s.item(userId, 'item-1');
      const original = structuredClone(item);
      await s.set(item);
      item.accessToken = 'changed-after-set';
      item.createdAt.setTime(0);
      if (item.health) item.health.since.setTime(0);
      if (item.accounts?.[0]) item.accounts[0].mask = '9999';
      item.itemCreatedAt?.setTime(0);
      item.consent?.products.push('injected');
      item.consent?.expiresAt?.setTime(0);

      const got = await s.store.get({ userId, itemId: 'item-1' });
      assert.ok(got);
      got.accessToken = 'changed-after-get';
      got.institutionId = 'changed';
      got.createdAt.setTime(1);
      if (got.health) {
        got.health.status = 'revoked';
        got.health.since.setTime(1);
      }
      got.accounts?.push({ accountId: 'injected', name: 'x', mask: null, type: 'other', subtype: null });
      if (got.accounts?.[0]) got.accounts[0].name = 'changed';
      got.itemCreatedAt?.setTime(1);
      got.consent?.dataScopes.push('injected');
      got.consent?.expiresAt?.setTime(1);

      const [listed] = await s.store.list(userId);
      assert.ok(listed);
      listed.accessToken = 'changed-after-list';
      listed.createdAt.setTime(2);

      assertSameItem(await s.store.get({ userId, itemId: 'item-1' }), original, 'get after mutations');
      assertSameItem((await s.store.list(userId))[0], original, 'list after mutations');
    },
  },
];
