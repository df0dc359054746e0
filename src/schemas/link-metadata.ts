import { z } from './zod.js';

/**
 * One account of Link's `onSuccess` metadata: Plaid's `account_id` as `id`, the name and the mask
 * (the last 2-4 characters Plaid has; never the account number). Other members pass unchecked.
 */
const linkAccountSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    mask: z.string().nullable().optional(),
    type: z.string().optional(),
    subtype: z.string().nullable().optional(),
  })
  .passthrough();

/**
 * Link's `onSuccess` metadata as the browser receives it (snake_case): `institution` (null for
 * Items made through same-day micro-deposits) and the accounts the user picked. Only what
 * plaid-facade reads is checked; `link_session_id` and anything Plaid adds pass through.
 */
export const linkSuccessMetadataSchema = z
  .object({
    institution: z
      .object({ institution_id: z.string().min(1), name: z.string().optional() })
      .passthrough()
      .nullable()
      .optional(),
    accounts: z.array(linkAccountSchema).optional(),
  })
  .passthrough();

/** Link's `onSuccess` metadata, as `exchange` accepts it. */
export type LinkSuccessMetadata = z.input<typeof linkSuccessMetadataSchema>;
