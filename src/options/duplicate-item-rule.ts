/**
 * The `duplicateItemRule` option: what a rule is given and returns (re-exported by `options.ts`),
 * and the default rule, Plaid's documented method (here, below the facade, so that `defaults.ts`
 * can name it and `resolve.ts` fill it in).
 */
import type { StoredItem } from '../stores/token-store.js';

/** What a new link is compared on: the institution and the accounts the user picked in Link. */
export interface LinkCandidate {
  /** Plaid's institution id from Link's metadata, or null when Link gave none. */
  institutionId: string | null;
  /** The accounts picked, by name and mask (never an account number). */
  accounts: ReadonlyArray<{
    /** The account's name, as Link showed it. */
    name: string;
    /** The last 2-4 characters of the account number Plaid has, or null. */
    mask: string | null;
  }>;
}

/** An Item the user already has, as a duplicate rule sees it (never its token). */
export type ExistingItem = Pick<StoredItem, 'itemId' | 'institutionId' | 'accounts'>;

/**
 * Decides whether a new link duplicates one of the user's Items: returns that Item's id, or
 * `undefined`. Runs before the public token is exchanged, so a duplicate is never created.
 */
export type DuplicateItemRule = (candidate: LinkCandidate, existing: readonly ExistingItem[]) => string | undefined;

/**
 * Plaid's documented method: the same institution and at least one account with the same name and
 * the same mask as an account of an Item the user already has. A mask is compared only with a
 * mask (Plaid: it is not always the end of the account number), and an account without one is
 * never taken for a match, so two accounts named "Checking" at one bank are not enough. Items
 * stored without their institution or accounts (linked before 0.2) never match.
 *
 * Not a guard at Chase: Chase may invalidate the older Item during its own OAuth step, before
 * `exchange` runs (see docs/balances.md).
 */
export const sameInstitutionAndAccount: DuplicateItemRule = (candidate, existing) => {
  if (!candidate.institutionId) return undefined;
  const picked = new Set(
    candidate.accounts.filter((account) => account.mask).map((account) => identity(account.name, account.mask)),
  );
  if (picked.size === 0) return undefined;
  const match = existing.find(
    (item) =>
      item.institutionId === candidate.institutionId &&
      (item.accounts ?? []).some((account) => account.mask && picked.has(identity(account.name, account.mask))),
  );
  return match?.itemId;
};

// Names compared as Plaid sends them, but without surrounding blanks or case differences.
function identity(name: string, mask: string | null): string {
  return JSON.stringify([name.trim().toLowerCase(), mask]);
}
