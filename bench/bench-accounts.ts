import type { FakeAccountSeed } from 'plaid-facade/testing';

const kinds: ReadonlyArray<Omit<FakeAccountSeed, 'mask'>> = [
  {
    name: 'Plaid Checking',
    official_name: 'Plaid Gold Standard 0% Interest Checking',
    type: 'depository',
    subtype: 'checking',
    balances: { available: 100, current: 110 },
  },
  {
    name: 'Plaid Saving',
    official_name: 'Plaid Silver Standard 0.1% Interest Saving',
    type: 'depository',
    subtype: 'savings',
    balances: { available: 200, current: 210 },
  },
  {
    name: 'Plaid Credit Card',
    official_name: 'Plaid Diamond 12.5% APR Interest Credit Card',
    type: 'credit',
    subtype: 'credit card',
    balances: { available: null, current: 410, limit: 2000 },
  },
  {
    name: 'Plaid Money Market',
    official_name: 'Plaid Platinum Standard 1.85% Interest Money Market',
    type: 'depository',
    subtype: 'money market',
    balances: { available: 43200, current: 43200 },
  },
];

/**
 * `count` accounts for a bench Item, the sandbox's four kinds in turn, each with a mask of its own:
 * 4 is a typical Item (about 2 KB of answer), 100 a large one (about 37 KB, past the size up to
 * which a body is parsed in one go).
 */
export function benchAccounts(count: number): FakeAccountSeed[] {
  return Array.from({ length: count }, (_, i) => ({
    ...(kinds[i % kinds.length] as FakeAccountSeed),
    mask: String(i).padStart(4, '0'),
  }));
}
