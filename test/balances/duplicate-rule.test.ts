import { describe, expect, it } from 'vitest';
import { balanceKey } from '../../src/facade/internal/balance-key.js';
import { sameInstitutionAndAccount } from '../../src/options/duplicate-item-rule.js';
import type { ExistingItem } from '../../src/options.js';

const existing: ExistingItem[] = [
  {
    itemId: 'item-old',
    institutionId: 'ins_109508',
    accounts: [
      { accountId: 'a1', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' },
      { accountId: 'a2', name: 'Plaid Saving', mask: null, type: 'depository', subtype: 'savings' },
    ],
  },
  { itemId: 'item-legacy', institutionId: undefined, accounts: undefined },
];

describe("the duplicate-Item rule (Plaid's: institution, account name and mask)", () => {
  it('matches the same institution with an account of the same name and mask', () => {
    const candidate = { institutionId: 'ins_109508', accounts: [{ name: 'plaid checking ', mask: '0000' }] };
    expect(sameInstitutionAndAccount(candidate, existing)).toBe('item-old');
  });

  it('does not match another institution, another mask, or a name alone', () => {
    const at = (institutionId: string | null, name: string, mask: string | null) =>
      sameInstitutionAndAccount({ institutionId, accounts: [{ name, mask }] }, existing);
    expect(at('ins_109509', 'Plaid Checking', '0000')).toBeUndefined();
    expect(at('ins_109508', 'Plaid Checking', '9999')).toBeUndefined();
    expect(at('ins_109508', 'Plaid Saving', null)).toBeUndefined();
    expect(at(null, 'Plaid Checking', '0000')).toBeUndefined();
  });
});

describe('balance read keys', () => {
  it('ignore the order of accountIds and tell every other difference apart', () => {
    const base = { userId: 'u1', itemId: 'i1' };
    expect(balanceKey({ ...base, accountIds: ['b', 'a'] })).toBe(balanceKey({ ...base, accountIds: ['a', 'b'] }));
    const keys = new Set([
      balanceKey(base),
      balanceKey({ ...base, userId: 'u2' }),
      balanceKey({ ...base, itemId: 'i2' }),
      balanceKey({ ...base, accountIds: ['a'] }),
      balanceKey({ ...base, minLastUpdated: new Date(0) }),
      // A ':' in an id cannot make two different reads collide.
      balanceKey({ userId: 'u1:i1', itemId: 'x' }),
      balanceKey({ userId: 'u1', itemId: 'i1:x' }),
    ]);
    expect(keys.size).toBe(7);
  });
});
