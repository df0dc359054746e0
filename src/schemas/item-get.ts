import { dateTimeSchema } from './date-time.js';
import { plaidErrorSchema } from './plaid-error.js';
import { z } from './zod.js';

/**
 * Answer of `/item/get` (`ItemGetResponse`, its `item` an `ItemWithConsentFields`), reduced to
 * what `getItem` reads: the Item's id, its institution (id and name), its `error` (non-null only
 * here, while the Item is broken), when it was created and its consent (expiry, products, use
 * cases, data scopes). Fields Plaid added over time are optional. Open: the others pass unchecked.
 */
export const itemGetResponseSchema = z.object({
  item: z.object({
    item_id: z.string().min(1),
    institution_id: z.string().nullable().optional(),
    institution_name: z.string().nullable().optional(),
    error: plaidErrorSchema.nullable(),
    created_at: dateTimeSchema.optional(),
    consent_expiration_time: dateTimeSchema.nullable().optional(),
    consented_products: z.array(z.string()).optional(),
    consented_use_cases: z.array(z.string()).optional(),
    consented_data_scopes: z.array(z.string()).optional(),
  }),
  request_id: z.string(),
});

/** Answer of `/item/get`, as parsed. */
export type ItemGetResponse = z.output<typeof itemGetResponseSchema>;
