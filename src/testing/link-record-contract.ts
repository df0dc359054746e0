import assert from 'node:assert/strict';
import type { LinkRecord, TokenStore } from '../stores/token-store.js';

/** What a link-record case needs: the store and a prefix no other case or run uses. */
export interface LinkRecordScope {
  readonly store: TokenStore;
  readonly run: string;
}

type LinkRecordMethods = Required<Pick<TokenStore, 'getLinkRecord' | 'setLinkRecord' | 'deleteLinkRecord'>>;

function linkRecords(store: TokenStore): LinkRecordMethods {
  for (const name of ['getLinkRecord', 'setLinkRecord', 'deleteLinkRecord'] as const) {
    assert.equal(
      typeof store[name],
      'function',
      `the store has no ${name}(): exactly-once exchanges across processes, completeLink, LINK webhooks and users.ensure need link records`,
    );
  }
  return {
    getLinkRecord: (key) => (store.getLinkRecord as LinkRecordMethods['getLinkRecord']).call(store, key),
    setLinkRecord: (record, expected) =>
      (store.setLinkRecord as LinkRecordMethods['setLinkRecord']).call(store, record, expected),
    deleteLinkRecord: (key, expected) =>
      (store.deleteLinkRecord as LinkRecordMethods['deleteLinkRecord']).call(store, key, expected),
  };
}

// Far enough ahead for any test run; the store must keep a record until its expiresAt.
const later = () => new Date(Date.now() + 3_600_000);

function key(s: LinkRecordScope, name: string): string {
  // Keys are printable ASCII: the run's prefix is a UUID-based string.
  return `${s.run}${name}`.replace(/[^\x21-\x7e]/g, '_');
}

/** The link-record cases of the token store contract. */
export const linkRecordCases: Array<{ name: string; check: (s: LinkRecordScope) => Promise<void> }> = [
  {
    name: 'link records: set-if-absent writes once; get returns the record; delete removes it',
    async check(s) {
      const r = linkRecords(s.store);
      const k = key(s, 'claim:abc');
      assert.equal(await r.getLinkRecord(k), undefined, 'no record yet');
      const first: LinkRecord = { key: k, value: '{"owner":"a"}', expiresAt: later() };
      assert.equal(await r.setLinkRecord(first, null), true, 'the first set-if-absent writes');
      assert.equal(await r.setLinkRecord({ ...first, value: '{"owner":"b"}' }, null), false, 'the second does not');
      const got = await r.getLinkRecord(k);
      assert.equal(got?.key, k);
      assert.equal(got?.value, '{"owner":"a"}', 'the first value stays');
      assert.equal(await r.deleteLinkRecord(k), true, 'delete says it deleted');
      assert.equal(await r.getLinkRecord(k), undefined, 'gone after delete');
      assert.equal(await r.deleteLinkRecord(k), false, 'deleting a missing record is not an error');
    },
  },
  {
    name: 'link records: compare-and-set and conditional delete act only on the expected value',
    async check(s) {
      const r = linkRecords(s.store);
      const k = key(s, 'claim:cas');
      assert.equal(await r.setLinkRecord({ key: k, value: 'v1', expiresAt: later() }, 'v0'), false, 'CAS on nothing');
      await r.setLinkRecord({ key: k, value: 'v1', expiresAt: later() });
      assert.equal(await r.setLinkRecord({ key: k, value: 'v2', expiresAt: later() }, 'v0'), false, 'CAS, wrong value');
      assert.equal((await r.getLinkRecord(k))?.value, 'v1');
      assert.equal(await r.setLinkRecord({ key: k, value: 'v2', expiresAt: later() }, 'v1'), true, 'CAS, right value');
      assert.equal((await r.getLinkRecord(k))?.value, 'v2');
      assert.equal(await r.setLinkRecord({ key: k, value: 'v3' }), true, 'an unconditional set writes');
      assert.equal((await r.getLinkRecord(k))?.value, 'v3');
      assert.equal(await r.deleteLinkRecord(k, 'v2'), false, 'conditional delete, wrong value');
      assert.equal(await r.deleteLinkRecord(k, 'v3'), true, 'conditional delete, right value');
      assert.equal(await r.getLinkRecord(k), undefined);
    },
  },
  {
    name: 'link records: concurrent set-if-absent has exactly one winner',
    async check(s) {
      const r = linkRecords(s.store);
      const k = key(s, 'claim:race');
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          r.setLinkRecord({ key: k, value: `owner-${index}`, expiresAt: later() }, null),
        ),
      );
      assert.equal(wins.filter(Boolean).length, 1, 'one winner');
      const winner = wins.indexOf(true);
      assert.equal((await r.getLinkRecord(k))?.value, `owner-${winner}`, 'the record is the winner’s');
      await r.deleteLinkRecord(k);
    },
  },
  {
    name: 'link records: a record past its expiresAt reads as absent and can be claimed again',
    async check(s) {
      const r = linkRecords(s.store);
      const k = key(s, 'claim:expired');
      await r.setLinkRecord({ key: k, value: 'old', expiresAt: new Date(Date.now() - 60_000) });
      assert.equal(await r.getLinkRecord(k), undefined, 'an expired record reads as absent');
      assert.equal(await r.setLinkRecord({ key: k, value: 'new', expiresAt: later() }, null), true, 'claimable');
      assert.equal((await r.getLinkRecord(k))?.value, 'new');
      await r.deleteLinkRecord(k);
    },
  },
  {
    name: 'link records: keys are kept apart exactly, values of 4 KiB come back whole',
    async check(s) {
      const r = linkRecords(s.store);
      const keys = ['a:b', 'a:B', 'a_b', 'a%3Ab', 'a:b:', "it's", '"q"', '\\x'].map((name) => key(s, name));
      for (const [index, k] of keys.entries()) await r.setLinkRecord({ key: k, value: `value-${index}` });
      for (const [index, k] of keys.entries()) assert.equal((await r.getLinkRecord(k))?.value, `value-${index}`, k);
      const big = 'x'.repeat(4096);
      await r.setLinkRecord({ key: keys[0] as string, value: big });
      assert.equal((await r.getLinkRecord(keys[0] as string))?.value, big);
      for (const k of keys) await r.deleteLinkRecord(k);
    },
  },
];
