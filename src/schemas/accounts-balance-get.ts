import { boundedArray } from './bounded-array.js';
import { dateTimeSchema } from './date-time.js';
import { accountSubtypeSchema, accountTypeSchema, productSchema } from './enums.js';
import { plaidErrorSchema } from './plaid-error.js';
import { z } from './zod.js';

// JSON.parse reads `1e999` as Infinity, which is no amount of money.
const amount = z.number().finite();

/**
 * `AccountBalance`: every member but `last_updated_datetime` is required and nullable (the key is
 * always there, its value may be null); `last_updated_datetime` is optional and nullable.
 */
const accountBalanceSchema = z
  .object({
    available: amount.nullable(),
    current: amount.nullable(),
    limit: amount.nullable(),
    iso_currency_code: z.string().nullable(),
    unofficial_currency_code: z.string().nullable(),
    last_updated_datetime: dateTimeSchema.nullable().optional(),
  })
  .transform((balance) => ({
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
    lastUpdated: balance.last_updated_datetime ?? null,
  }));

/** `AccountBase`: `mask`, `official_name` and `subtype` are required and nullable. */
const accountSchema = z
  .object({
    account_id: z.string().min(1),
    balances: accountBalanceSchema,
    mask: z.string().nullable(),
    name: z.string(),
    official_name: z.string().nullable(),
    type: accountTypeSchema,
    subtype: accountSubtypeSchema.nullable(),
  })
  .transform((account) => ({
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
    balances: account.balances,
  }));

/**
 * `Item`. The facade reads only `item_id` (to check the answer is for the Item asked about), so
 * only `item_id` can fail the read. Plaid's other members are kept when they have the documented
 * type and dropped (read as absent) when not: a change in a part of the answer the facade does not
 * use, such as a malformed `item.error`, never stops balance reads.
 */
const itemSchema = z.object({
  item_id: z.string().min(1),
  institution_id: z.string().nullable().optional().catch(undefined),
  institution_name: z.string().nullable().optional().catch(undefined),
  webhook: z.string().nullable().optional().catch(undefined),
  error: plaidErrorSchema.nullable().optional().catch(undefined),
  available_products: z.array(productSchema).optional().catch(undefined),
  billed_products: z.array(productSchema).optional().catch(undefined),
  products: z.array(productSchema).optional().catch(undefined),
  consent_expiration_time: z.string().nullable().optional().catch(undefined),
  update_type: z.string().optional().catch(undefined),
});

/** Answer of `/accounts/balance/get` (`AccountsGetResponse`). */
export const accountsBalanceGetResponseSchema = z.object({
  // Checked one by one, stopping at the first few bad accounts: see boundedArray.
  accounts: boundedArray(accountSchema),
  item: itemSchema,
  request_id: z.string(),
});

/**
 * One account and its real-time balance.
 * @useDeclaredType
 */
export type Account = z.output<typeof accountSchema>;

/**
 * The balance of an account. `currency` is the ISO code, or the unofficial code when that is null.
 * @useDeclaredType
 */
export type AccountBalances = Account['balances'];
