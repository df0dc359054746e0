import { randomId } from './ids.js';
import type { FakeStoredItem } from './state.js';

/**
 * The `metadata` Link hands to `onSuccess` (Link's web SDK, snake_case as it arrives in the
 * browser): the institution and the accounts the user picked. Pass it to `exchange` as it is.
 */
export interface FakeLinkMetadata {
  /** The institution; Plaid gives null for Items made through same-day micro-deposits. */
  institution: {
    /** The institution's name. */
    name: string;
    /** Plaid's institution id. */
    institution_id: string;
  } | null;
  /** The accounts the user picked: Plaid's `account_id` as `id`, the name and the mask (never the number). */
  accounts: Array<{
    /** Plaid's `account_id`. */
    id: string;
    /** The account's name. */
    name: string;
    /** The last characters of the account number, or null. */
    mask: string | null;
    /** Plaid's account type. */
    type: string;
    /** Plaid's account subtype, or null. */
    subtype: string | null;
    /** Micro-deposit verification status; null for instant linking. */
    verification_status: string | null;
  }>;
  /** Link's session id. */
  link_session_id: string;
}

/** What Link's `onSuccess` receives: the public token and its metadata. */
export interface FakeLinkSuccess {
  /** The public token to exchange (single use, 30 minutes). */
  publicToken: string;
  /** Link's `onSuccess` metadata for it. */
  metadata: FakeLinkMetadata;
}

/** Link's `onSuccess` metadata for an Item the fake just created. */
export function linkMetadata(item: FakeStoredItem): FakeLinkMetadata {
  return {
    institution: { name: item.institution.name, institution_id: item.institution.id },
    accounts: item.accounts.map(({ account }) => ({
      id: account.account_id,
      name: account.name,
      mask: account.mask,
      type: account.type,
      subtype: account.subtype,
      verification_status: null,
    })),
    link_session_id: randomId(36),
  };
}
