import { z } from './zod.js';
import { errorTypeSchema } from './enums.js';

/**
 * Plaid's error body (`PlaidError`). Required by the spec: `error_type`, `error_code`,
 * `error_message`, `display_message` (nullable). Bodies seen in the wild can be thinner, so only
 * `error_type` and `error_code` are needed to recognise one; the rest falls back to defaults.
 */
export const plaidErrorSchema = z.object({
  error_type: errorTypeSchema,
  error_code: z.string(),
  error_code_reason: z.string().nullable().optional(),
  error_message: z.string().nullable().optional(),
  display_message: z.string().nullable().optional(),
  request_id: z.string().optional(),
  causes: z.array(z.unknown()).optional(),
  status: z.number().int().nullable().optional(),
  documentation_url: z.string().optional(),
  suggested_action: z.string().nullable().optional(),
});

/** Plaid's error body, as parsed. */
export type PlaidErrorBody = z.infer<typeof plaidErrorSchema>;
