import { accountsBalanceGetResponseSchema } from './accounts-balance-get.js';
import { z } from './zod.js';

/**
 * `Item`, as `/accounts/get` sends it. The facade reads `item_id` (to check the answer is for the
 * Item asked about) and `institution_id` (to learn the institution of an Item linked without
 * Link's metadata). Plaid's spec lists `institution_id` as nullable and not among the required
 * members; a value of the wrong type reads as unknown, and every other member is left unchecked,
 * so a change there cannot stop a read.
 */
const itemSchema = z.object({
  item_id: z.string().min(1),
  institution_id: z.string().nullable().optional().catch(undefined),
});

/**
 * Answer of `/accounts/get` (`AccountsGetResponse`, the same schema as `/accounts/balance/get`'s):
 * `accounts`, `item` and `request_id` are required. The accounts' balances are Plaid's cached ones,
 * parsed exactly as the live ones (`AccountBase` and `AccountBalance`: `mask`, `official_name`,
 * `subtype` and every balance member but `last_updated_datetime` required and nullable).
 */
export const accountsGetResponseSchema = z.object({
  accounts: accountsBalanceGetResponseSchema.shape.accounts,
  item: itemSchema,
  request_id: z.string(),
});

/** Answer of `/accounts/get`, as parsed. */
export type AccountsGetResponse = z.output<typeof accountsGetResponseSchema>;
