/** The inputs and results of `getBalances`, `getAccounts` and `getAllBalances`. */
import type { PlaidFacadeError } from '../errors.js';
import type { Account } from '../schemas/accounts-balance-get.js';

/** Input of `getBalances`. */
export interface BalancesInput {
  /** Your application's id for the user, as given to `exchange`. */
  userId: string;
  /** The Item to read, as `exchange` returned it. */
  itemId: string;
  /** Only these accounts. Default: every account of the Item. */
  accountIds?: string[] | undefined;
  /** The oldest balance acceptable; some institutions (e.g. Capital One) need it. */
  minLastUpdated?: Date | undefined;
  /**
   * How old, in milliseconds, a read may be to be served again instead of calling Plaid (which
   * bills every live read). Default 0: always live. A read served again says `source: 'cache'`
   * and keeps its real `fetchedAt`; a failure is never served again.
   */
  maxAgeMs?: number | undefined;
}

/** Result of `getBalances`. */
export interface BalancesResult {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** Plaid's request id. */
  requestId: string;
  /** When plaid-facade received Plaid's answer. */
  fetchedAt: Date;
  /** The Item's accounts (or those of `accountIds`), each with its real-time balance. */
  accounts: Account[];
  /**
   * `'live'`: read from the bank by this call or by an identical one it shared; `'cache'`: a read
   * of at most `maxAgeMs` ago, served again (its `fetchedAt` says when it was live).
   */
  source: 'live' | 'cache';
}

/** Input of `getAccounts`. */
export interface AccountsInput {
  /** Your application's id for the user, as given to `exchange`. */
  userId: string;
  /** The Item to read. */
  itemId: string;
  /** Only these accounts. Default: every account of the Item. */
  accountIds?: string[] | undefined;
}

/** Result of `getAccounts`: the shape of `getBalances`' result, with the balances Plaid last cached. */
export interface AccountsResult extends Omit<BalancesResult, 'source'> {
  /** Always `'plaid-cache'`: Plaid's cached balances, not a live read. */
  source: 'plaid-cache';
}

/** Input of `getAllBalances`. */
export interface AllBalancesInput {
  /** Your application's id for the user: every Item the store lists for it is read. */
  userId: string;
  /** As for `getBalances`, for every Item. Default 0: always live. */
  maxAgeMs?: number | undefined;
  /** At most this many attempts with Plaid at once for this read (1 to 100). Default 4. */
  concurrency?: number | undefined;
}

/** One Item's outcome in `getAllBalances`. */
export type ItemBalances =
  | {
      /** The Item. */
      itemId: string;
      /** The Item was read. */
      ok: true;
      /** Plaid's request id of the read. */
      requestId: string;
      /** When plaid-facade received Plaid's answer (for a cached read, the original one). */
      fetchedAt: Date;
      /** `'live'`: read from the bank now; `'cache'`: served again within `maxAgeMs`. */
      source: 'live' | 'cache';
      /** The Item's accounts, each with its balance. */
      accounts: Account[];
    }
  | {
      /** The Item. */
      itemId: string;
      /** The Item could not be read. */
      ok: false;
      /** Why this Item has no balances: any plaid-facade error, e.g. `ItemUnavailableError`. */
      error: PlaidFacadeError;
    };

/** Result of `getAllBalances`. */
export interface AllBalancesResult {
  /** The user, as given. */
  userId: string;
  /** True when at least one Item failed (its entry in `items` says why). */
  partial: boolean;
  /** Every account of every Item that answered, each with the `itemId` it belongs to. */
  accounts: Array<
    Account & {
      /** The Item the account belongs to. */
      itemId: string;
    }
  >;
  /** One entry per Item of the user, in the store's order. */
  items: ItemBalances[];
}
