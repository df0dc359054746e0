import { plaidErrorSchema } from './plaid-error.js';
import { z } from './zod.js';

/**
 * Answer of `/item/get` (`ItemGetResponse`), reduced to what `getItem` reads: the Item's id, its
 * institution and its `error` (non-null only here, while the Item is broken). Open: the other
 * fields (products, consent, `status`) pass unchecked.
 */
export const itemGetResponseSchema = z.object({
  item: z.object({
    item_id: z.string().min(1),
    institution_id: z.string().nullable().optional(),
    error: plaidErrorSchema.nullable(),
  }),
  request_id: z.string(),
});

/** Answer of `/item/get`, as parsed. */
export type ItemGetResponse = z.output<typeof itemGetResponseSchema>;
