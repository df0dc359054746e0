import { dateTimeSchema } from './date-time.js';
import { z } from './zod.js';

/** `LinkSessionSuccessMetadataInstitution`: nullable, both members optional. */
export const linkSessionInstitutionSchema = z
  .object({ name: z.string().optional(), institution_id: z.string().optional() })
  .passthrough()
  .nullable();

/** `LinkSessionSuccessMetadataAccount`: every member optional; `mask`, `verification_status` nullable. */
export const linkSessionAccountSchema = z
  .object({
    id: z.string().optional(),
    name: z.string().optional(),
    mask: z.string().nullable().optional(),
    type: z.string().optional(),
    subtype: z.string().optional(),
    verification_status: z.string().nullable().optional(),
  })
  .passthrough();

/** `LinkSessionItemAddResult`: one Item added in a Link session, with its public token. */
export const linkSessionItemAddResultSchema = z
  .object({
    public_token: z.string().min(1),
    accounts: z.array(linkSessionAccountSchema),
    institution: linkSessionInstitutionSchema,
  })
  .passthrough();

/** `LinkEvent`. */
export const linkEventSchema = z
  .object({
    event_id: z.string(),
    timestamp: z.string(),
    event_name: z.string(),
    event_metadata: z.object({}).passthrough(),
  })
  .passthrough();

/** `LinkSessionResults` (nullable): the arrays Plaid marks required are required. */
const linkSessionResultsSchema = z
  .object({
    item_add_results: z.array(linkSessionItemAddResultSchema),
    cra_item_add_results: z.array(z.unknown()),
    cra_update_results: z.array(z.unknown()),
    bank_income_results: z.array(z.unknown()),
    payroll_income_results: z.array(z.unknown()),
    // Required and nullable (`CreditSessionDocumentIncomeResult`): present, an object or null.
    document_income_results: z.object({}).passthrough().nullable(),
  })
  .passthrough()
  .nullable();

/** `LinkTokenGetSessionsResponse`: only `link_session_id` is required. */
export const linkTokenGetSessionSchema = z
  .object({
    link_session_id: z.string(),
    started_at: dateTimeSchema.optional(),
    finished_at: dateTimeSchema.nullable().optional(),
    // `LinkSessionExit` (nullable; error and metadata required when present), read only as "exited".
    exit: z
      .object({ error: z.object({}).passthrough().nullable(), metadata: z.object({}).passthrough().nullable() })
      .passthrough()
      .nullable()
      .optional(),
    events: z.array(linkEventSchema).optional(),
    results: linkSessionResultsSchema.optional(),
  })
  .passthrough();

/** `LinkTokenGetMetadataResponse`: required members, several nullable. */
const linkTokenGetMetadataSchema = z
  .object({
    initial_products: z.array(z.string()),
    webhook: z.string().nullable(),
    country_codes: z.array(z.string()),
    language: z.string().nullable(),
    redirect_uri: z.string().nullable(),
    client_name: z.string().nullable(),
  })
  .passthrough();

/** Answer of `/link/token/get` (`LinkTokenGetResponse`). */
export const linkTokenGetResponseSchema = z
  .object({
    link_token: z.string(),
    created_at: dateTimeSchema.nullable(),
    expiration: dateTimeSchema.nullable(),
    link_sessions: z.array(linkTokenGetSessionSchema).optional(),
    metadata: linkTokenGetMetadataSchema,
    user_id: z.string().optional(),
    request_id: z.string(),
  })
  .passthrough();

/** Answer of `/link/token/get`, as parsed. */
export type LinkTokenGetResponse = z.output<typeof linkTokenGetResponseSchema>;
/** One Item added in a Link session, as parsed. */
export type LinkSessionItemAddResult = z.output<typeof linkSessionItemAddResultSchema>;
