/**
 * The JSON record `RedisTokenStore` keeps (`record-codec.ts`) carries `getItem`'s details as
 * optional members of the same `v: 1` value: a 0.2 record (without them) still reads, a record
 * with them reads back exactly, and a malformed detail makes the record unreadable (typed, never
 * quoting the record, which holds the token) instead of being silently dropped.
 */
import { describe, expect, it } from 'vitest';
import { TokenStoreError } from '../../src/errors.js';
import { decodeRecord, encodeRecord } from '../../src/stores/record-codec.js';
import type { StoredItem } from '../../src/stores/token-store.js';

const key = { userId: 'u', itemId: 'item-1' };
const token = 'access-sandbox-record-1';
const createdAt = new Date('2025-01-02T03:04:05.006Z');

describe("the Redis record and getItem's details", () => {
  it('reads a record written by 0.2 (health and accounts, no details): the details are absent', () => {
    const written02 = JSON.stringify({
      v: 1,
      accessToken: token,
      institutionId: 'ins_3',
      createdAt: createdAt.toISOString(),
      health: { status: 'healthy', since: createdAt.toISOString() },
      accounts: [],
    });
    const item = decodeRecord(written02, key);
    expect(item).toEqual({
      ...key,
      accessToken: token,
      institutionId: 'ins_3',
      createdAt,
      health: { status: 'healthy', since: createdAt },
      accounts: [],
    });
    expect(Object.keys(item)).not.toContain('consent');
  });

  it('keeps the details with their dates, and an expiry of null', () => {
    const item: StoredItem = {
      ...key,
      accessToken: token,
      createdAt,
      institutionName: 'Ünïcode "Bank"',
      itemCreatedAt: new Date('2024-12-31T23:00:00.000Z'),
      consent: { expiresAt: null, products: ['balance'], useCases: ['Check'], dataScopes: ['account_balance_info'] },
    };
    const text = encodeRecord(item);
    expect(JSON.parse(text)).toMatchObject({ v: 1, itemCreatedAt: '2024-12-31T23:00:00.000Z' });
    expect(decodeRecord(text, key)).toEqual(item);
    const expiring = { ...item, consent: { ...item.consent, expiresAt: new Date('2027-06-01T00:00:00.000Z') } };
    expect(decodeRecord(encodeRecord(expiring as StoredItem), key).consent?.expiresAt).toEqual(
      new Date('2027-06-01T00:00:00.000Z'),
    );
  });

  it.each([
    ['an institution name that is not a string', { institutionName: 7 }],
    ['a creation date that is not one', { itemCreatedAt: 'yesterday' }],
    ['a consent without its lists', { consent: { expiresAt: null } }],
    ['a consent list with a number', { consent: { expiresAt: null, products: [1], useCases: [], dataScopes: [] } }],
    [
      'a consent expiry that is not a date',
      { consent: { expiresAt: 'soon', products: [], useCases: [], dataScopes: [] } },
    ],
  ])('refuses %s as TOKEN_RECORD_INVALID, without quoting the record', (_name, details) => {
    const text = JSON.stringify({ v: 1, accessToken: token, createdAt: createdAt.toISOString(), ...details });
    let error: unknown;
    try {
      decodeRecord(text, key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_RECORD_INVALID', itemId: 'item-1' });
    expect((error as Error).message).not.toContain(token);
  });
});
