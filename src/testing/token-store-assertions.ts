import assert from 'node:assert/strict';
import type { ItemAccount, ItemConsent, ItemHealth, StoredItem, TokenStore } from '../stores/token-store.js';

// Helpers of the token store contract (token-store-contract.ts); not part of the testing entry.

/** Compares what a store returned with what was written, field by field, so a mismatch names it. */
export function assertSameItem(actual: StoredItem | undefined, expected: StoredItem, context: string): void {
  assert.ok(actual, `${context}: expected an item, got undefined`);
  assert.equal(actual.userId, expected.userId, `${context}: userId`);
  assert.equal(actual.itemId, expected.itemId, `${context}: itemId`);
  assert.equal(actual.accessToken, expected.accessToken, `${context}: accessToken`);
  assert.equal(actual.institutionId, expected.institutionId, `${context}: institutionId`);
  assert.ok(actual.createdAt instanceof Date, `${context}: createdAt must be a Date`);
  assert.equal(actual.createdAt.getTime(), expected.createdAt.getTime(), `${context}: createdAt`);
  assert.deepEqual(plainHealth(actual.health), plainHealth(expected.health), `${context}: health`);
  if (actual.health) {
    for (const field of ['since', 'updatedAt', 'disconnectAt', 'consentExpiresAt'] as const) {
      const value = actual.health[field];
      assert.ok(value === undefined || value instanceof Date, `${context}: health.${field} must be a Date`);
    }
  }
  assert.deepEqual(actual.accounts, expected.accounts, `${context}: accounts`);
  assert.equal(actual.institutionName, expected.institutionName, `${context}: institutionName`);
  assert.ok(
    actual.itemCreatedAt === undefined || actual.itemCreatedAt instanceof Date,
    `${context}: itemCreatedAt must be a Date`,
  );
  assert.equal(actual.itemCreatedAt?.getTime(), expected.itemCreatedAt?.getTime(), `${context}: itemCreatedAt`);
  assert.ok(
    actual.consent === undefined || actual.consent.expiresAt === null || actual.consent.expiresAt instanceof Date,
    `${context}: consent.expiresAt must be a Date or null`,
  );
  assert.deepEqual(plainConsent(actual.consent), plainConsent(expected.consent), `${context}: consent`);
}

// Consent with its date as a number, so deepEqual names the difference.
function plainConsent(consent: ItemConsent | undefined): Record<string, unknown> | undefined {
  if (!consent) return undefined;
  const { expiresAt, products, useCases, dataScopes } = consent;
  return { expiresAt: expiresAt instanceof Date ? expiresAt.getTime() : expiresAt, products, useCases, dataScopes };
}

// Health with its dates as numbers and absent fields left out, so deepEqual names the difference.
function plainHealth(health: ItemHealth | undefined): Record<string, unknown> | undefined {
  if (!health) return undefined;
  const plain: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(health)) {
    if (value === undefined) continue;
    plain[field] = value instanceof Date ? value.getTime() : value;
  }
  return plain;
}

/** A health with a date besides `since`. */
export const sampleHealth: ItemHealth = {
  status: 'pending_disconnect',
  since: new Date(Date.UTC(2025, 2, 3, 4, 5, 6, 789)),
  disconnectAt: new Date(Date.UTC(2025, 2, 10, 4, 5, 6, 0)),
};

/** Consent as `/item/get` describes a UK/EU OAuth Item: an expiry and every list filled. */
export const sampleConsent: ItemConsent = {
  expiresAt: new Date(Date.UTC(2026, 5, 30, 23, 59, 59, 0)),
  products: ['balance', 'transactions'],
  useCases: ['Verify your account', 'Ünïcode 😀 "quoted"'],
  dataScopes: ['account_balance_info', 'contact_info'],
};

/** Accounts with a null mask and subtype, and characters JSON must escape. */
export const sampleAccounts: ItemAccount[] = [
  { accountId: 'acc-checking', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' },
  { accountId: 'acc-other', name: 'Ünïcode 😀 "quoted"', mask: null, type: 'other', subtype: null },
];

/** `store.findByItemId`, asserting it exists: optional in the interface (0.1 stores lack it), but webhooks.handle needs it. */
export function finder(store: TokenStore): (itemId: string) => Promise<StoredItem | undefined> {
  assert.equal(
    typeof store.findByItemId,
    'function',
    'the store has no findByItemId(itemId): webhooks.handle needs it to find an Item from a webhook',
  );
  return (itemId) => (store.findByItemId as (id: string) => Promise<StoredItem | undefined>).call(store, itemId);
}

/** Items sorted by Item id, to compare lists regardless of order. */
export function byItemId(items: StoredItem[]): StoredItem[] {
  return [...items].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}
