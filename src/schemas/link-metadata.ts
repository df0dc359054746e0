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

/**
 * Link's `onSuccess` metadata, as `exchange` accepts it: pass the object Link gave your page, as it
 * is. Members not listed here (`link_session_id`, `verification_status`, ...) are allowed and ignored.
 */
export interface LinkSuccessMetadata {
  /** The institution the user linked; null for Items made through same-day micro-deposits. */
  institution?:
    | {
        /** Plaid's institution id, e.g. `ins_109508`. */
        institution_id: string;
        /** The institution's name. */
        name?: string | undefined;
      }
    | null
    | undefined;
  /** The accounts the user picked. */
  accounts?:
    | Array<{
        /** Plaid's `account_id`. */
        id: string;
        /** The account's name. */
        name: string;
        /** The last 2-4 characters Plaid has of the account number, or null. */
        mask?: string | null | undefined;
        /** Plaid's account type, e.g. `depository`. */
        type?: string | undefined;
        /** Plaid's account subtype, e.g. `checking`, or null. */
        subtype?: string | null | undefined;
      }>
    | undefined;
}
