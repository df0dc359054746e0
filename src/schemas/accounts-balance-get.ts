import { z } from 'zod';
import { dateTimeSchema } from './date-time.js';
import { accountSubtypeSchema, accountTypeSchema, productSchema } from './enums.js';
import { plaidErrorSchema } from './plaid-error.js';

/**
 * `AccountBalance`: every member but `last_updated_datetime` is required and nullable (the key is
 * always there, its value may be null); `last_updated_datetime` is optional and nullable.
 */
const accountBalanceSchema = z
  .object({
    available: z.number().nullable(),
    current: z.number().nullable(),
    limit: z.number().nullable(),
    iso_currency_code: z.string().nullable(),
    unofficial_currency_code: z.string().nullable(),
    last_updated_datetime: dateTimeSchema.nullable().optional(),
  })
  .transform((balance) => ({
    available: balance.available,
    current: balance.current,
    limit: balance.limit,
    /** The ISO 4217 code, or Plaid's unofficial code (e.g. for crypto) when there is none. */
    currency: balance.iso_currency_code ?? balance.unofficial_currency_code,
    isoCurrencyCode: balance.iso_currency_code,
    unofficialCurrencyCode: balance.unofficial_currency_code,
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
    accountId: account.account_id,
    name: account.name,
    officialName: account.official_name,
    mask: account.mask,
    type: account.type,
    subtype: account.subtype,
    balances: account.balances,
  }));

/**
 * `Item`. The facade reads only `item_id` (to check the answer is for the Item asked about), so
 * only `item_id` is required here; Plaid's other members are checked for type when present but not
 * required, so that a change in a part of the answer the facade does not use cannot stop balance
 * reads.
 */
const itemSchema = z.object({
  item_id: z.string().min(1),
  institution_id: z.string().nullable().optional(),
  institution_name: z.string().nullable().optional(),
  webhook: z.string().nullable().optional(),
  error: plaidErrorSchema.nullable().optional(),
  available_products: z.array(productSchema).optional(),
  billed_products: z.array(productSchema).optional(),
  products: z.array(productSchema).optional(),
  consent_expiration_time: z.string().nullable().optional(),
  update_type: z.string().optional(),
});

/** Answer of `/accounts/balance/get` (`AccountsGetResponse`). */
export const accountsBalanceGetResponseSchema = z.object({
  accounts: z.array(accountSchema),
  item: itemSchema,
  request_id: z.string(),
});

/** Answer of `/accounts/balance/get`, as parsed. */
export type AccountsBalanceGetResponse = z.output<typeof accountsBalanceGetResponseSchema>;

/** One account and its real-time balance. */
export type Account = z.output<typeof accountSchema>;

/** The balance of an account. `currency` is the ISO code, or the unofficial code when that is null. */
export type AccountBalances = Account['balances'];
