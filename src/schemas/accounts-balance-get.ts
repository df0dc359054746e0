import { boundedArray, type Refuse } from './bounded-array.js';
import { DATE_TIME_MESSAGE, parseDateTime } from './date-time.js';
import { accountSubtypeSchema, accountTypeSchema } from './enums.js';
import { z } from './zod.js';

// JSON.parse reads `1e999` as Infinity, which is no amount of money.
const amount = z.number().finite();

/**
 * `AccountBalance`: every member but `last_updated_datetime` is required and nullable (the key is
 * always there, its value may be null); `last_updated_datetime` is optional and nullable, an RFC
 * 3339 date-time read by `shapeAccount` (a `dateTimeSchema` per account cost more than the rest of
 * the account's checks: see `boundedArray`).
 */
const accountBalanceSchema = z.object({
  available: amount.nullable(),
  current: amount.nullable(),
  limit: amount.nullable(),
  iso_currency_code: z.string().nullable(),
  unofficial_currency_code: z.string().nullable(),
  last_updated_datetime: z.string().nullable().optional(),
});

/**
 * `AccountBase` (one account of an answer, before it is shaped): `mask`, `official_name` and
 * `subtype` are required and nullable. Checked as plain
 * objects, then shaped by `shapeAccount` in the same pass (see `boundedArray`): a `.transform()` per
 * account and per balance cost more than the checks themselves.
 */
export const accountSchema = z.object({
  account_id: z.string().min(1),
  balances: accountBalanceSchema,
  mask: z.string().nullable(),
  name: z.string(),
  official_name: z.string().nullable(),
  type: accountTypeSchema,
  subtype: accountSubtypeSchema.nullable(),
});

/**
 * An account as checked by `accountSchema`, in the names and shape the facade returns. A
 * `last_updated_datetime` that is not a date-time is refused, as `dateTimeSchema` would.
 */
function shapeAccount(account: z.output<typeof accountSchema>, refuse: Refuse) {
  const balance = account.balances;
  const updatedText = balance.last_updated_datetime;
  const lastUpdated = updatedText == null ? null : (parseDateTime(updatedText) ?? null);
  if (updatedText != null && lastUpdated === null) refuse(['balances', 'last_updated_datetime'], DATE_TIME_MESSAGE);
  return {
    /** Plaid's `account_id`. */
    accountId: account.account_id,
    /** The account's name, as the user or the institution gave it. */
    name: account.name,
    /** The institution's formal name for the account, or null. */
    officialName: account.official_name,
    /** The last 2 to 4 characters of the account number, or null. */
    mask: account.mask,
    /** The account type, e.g. `'depository'` or `'credit'`; Plaid may add values. */
    type: account.type,
    /** The account subtype, e.g. `'checking'` or `'credit card'`, or null; Plaid may add values. */
    subtype: account.subtype,
    /** The account's real-time balance. */
    balances: {
      /** What can be spent or withdrawn now; null when the institution does not say. */
      available: balance.available,
      /** The total balance; for credit accounts the amount owed, for loans the principal remaining. Null when not reported. */
      current: balance.current,
      /** The credit limit, or a depository account's overdraft limit; null when there is none or it is not reported. */
      limit: balance.limit,
      /** The ISO 4217 code, or Plaid's unofficial code (e.g. for crypto) when there is none. */
      currency: balance.iso_currency_code ?? balance.unofficial_currency_code,
      /** The ISO 4217 currency code; null when `unofficialCurrencyCode` is set. */
      isoCurrencyCode: balance.iso_currency_code,
      /** Plaid's code for a currency without an ISO code (crypto, loyalty points); null otherwise. */
      unofficialCurrencyCode: balance.unofficial_currency_code,
      /** When the institution last updated the balance, when Plaid says (currently Capital One, with `minLastUpdated`); else null. */
      lastUpdated,
    },
  };
}

/** The `accounts` of a balance or accounts answer: checked one by one (see `boundedArray`), then shaped. */
const accountsSchema = boundedArray(accountSchema, shapeAccount);

/**
 * `Item`. The facade reads `item_id` (to check the answer is for the Item asked about) and
 * `institution_id` (to learn the institution of an Item linked without Link's metadata). Plaid's
 * spec lists `institution_id` as nullable and not among the required members; a value of the
 * wrong type reads as unknown, and Plaid's other members (`error`, `products`, `webhook`, …) are
 * neither read nor returned, so they are left unchecked: a change there (a malformed `item.error`,
 * say) never stops balance reads, and checking them would cost every call for nothing.
 */
const itemSchema = z.object({
  item_id: z.string().min(1),
  institution_id: z.string().nullable().optional().catch(undefined),
});

/** Answer of `/accounts/balance/get` (`AccountsGetResponse`). */
export const accountsBalanceGetResponseSchema = z.object({
  // Checked one by one, stopping at the first few bad accounts: see boundedArray.
  accounts: accountsSchema,
  item: itemSchema,
  request_id: z.string(),
});

/**
 * One account and its real-time balance.
 * @useDeclaredType
 */
export type Account = z.output<typeof accountsSchema>[number];

/**
 * The balance of an account. `currency` is the ISO code, or the unofficial code when that is null.
 * @useDeclaredType
 */
export type AccountBalances = Account['balances'];
