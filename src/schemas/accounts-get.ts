import { accountsBalanceGetResponseSchema } from './accounts-balance-get.js';
import { z } from './zod.js';

/**
 * Answer of `/accounts/get` (`AccountsGetResponse`, the same schema as `/accounts/balance/get`'s):
 * `accounts`, `item` and `request_id` are required. The accounts' balances are Plaid's cached ones,
 * parsed exactly as the live ones (`AccountBase` and `AccountBalance`: `mask`, `official_name`,
 * `subtype` and every balance member but `last_updated_datetime` required and nullable).
 */
export const accountsGetResponseSchema = z.object({
  accounts: accountsBalanceGetResponseSchema.shape.accounts,
  // The same `Item` members are read as from a balance answer (`item_id`, `institution_id`).
  item: accountsBalanceGetResponseSchema.shape.item,
  request_id: z.string(),
});

/** Answer of `/accounts/get`, as parsed. */
export type AccountsGetResponse = z.output<typeof accountsGetResponseSchema>;
