import { randomId } from './ids.js';
import type { FakeAccountSeed, FakeInstitution, WireAccount } from './types.js';

/** Institutions of Plaid's sandbox that the fake knows by default. */
export const defaultInstitutions: FakeInstitution[] = [
  { id: 'ins_109508', name: 'First Platypus Bank' },
  { id: 'ins_109509', name: 'First Gingham Credit Union' },
  { id: 'ins_109511', name: 'Tartan Bank' },
  // Capital One does not refresh balances on demand: Plaid needs min_last_updated_datetime for it.
  { id: 'ins_128026', name: 'Capital One', requiresMinLastUpdated: true },
];

/** The accounts of a sandbox `user_good` Item: checking, savings and a credit card with a limit. */
export const defaultAccounts: FakeAccountSeed[] = [
  {
    name: 'Plaid Checking',
    official_name: 'Plaid Gold Standard 0% Interest Checking',
    mask: '0000',
    type: 'depository',
    subtype: 'checking',
    balances: { available: 100, current: 110 },
  },
  {
    name: 'Plaid Saving',
    official_name: 'Plaid Silver Standard 0.1% Interest Saving',
    mask: '1111',
    type: 'depository',
    subtype: 'savings',
    balances: { available: 200, current: 210 },
  },
  {
    name: 'Plaid Credit Card',
    official_name: 'Plaid Diamond 12.5% APR Interest Credit Card',
    mask: '3333',
    type: 'credit',
    subtype: 'credit card',
    balances: { available: null, current: 410, limit: 2000 },
  },
];

/**
 * An account as the fake keeps it. `last_updated_datetime` stays `null` here when the seed left it
 * unset: the balance handler then stamps the time of the read, as a real-time balance would have.
 */
export function accountFromSeed(seed: FakeAccountSeed): WireAccount {
  const balances = seed.balances ?? {};
  const unofficial = balances.unofficial_currency_code ?? null;
  return {
    account_id: seed.account_id ?? randomId(37),
    balances: {
      available: balances.available ?? null,
      current: balances.current ?? null,
      limit: balances.limit ?? null,
      // Plaid sends exactly one of the two codes: an unofficial currency means no ISO code.
      iso_currency_code:
        balances.iso_currency_code !== undefined ? balances.iso_currency_code : unofficial ? null : 'USD',
      unofficial_currency_code: unofficial,
      last_updated_datetime: balances.last_updated_datetime ?? null,
    },
    mask: seed.mask !== undefined ? seed.mask : null,
    name: seed.name,
    official_name: seed.official_name !== undefined ? seed.official_name : null,
    type: seed.type,
    subtype: seed.subtype !== undefined ? seed.subtype : null,
  };
}
