import { errorTypeSchema } from './enums.js';
import { z } from './zod.js';

/**
 * Plaid's error body (`PlaidError`). Required by the spec: `error_type`, `error_code`,
 * `error_message`, `display_message` (nullable). Bodies seen in the wild can be thinner or odd, so
 * only `error_type` and `error_code` are needed to recognise one, and the body is salvaged field
 * by field: an optional field that is missing or has the wrong type (`documentation_url: null`,
 * `status: "400"`, `causes: {}`) reads as absent instead of losing the whole error, because
 * `error_type` and `error_code` decide whether a call is retried (`INSTITUTION_DOWN`) or needs
 * the user (`ITEM_LOGIN_REQUIRED`).
 */
export const plaidErrorSchema = z.object({
  error_type: errorTypeSchema,
  error_code: z.string(),
  error_code_reason: z.string().nullable().optional().catch(undefined),
  error_message: z.string().nullable().optional().catch(undefined),
  display_message: z.string().nullable().optional().catch(undefined),
  request_id: z.string().optional().catch(undefined),
  causes: z.array(z.unknown()).optional().catch(undefined),
  status: z.number().int().nullable().optional().catch(undefined),
  documentation_url: z.string().optional().catch(undefined),
  suggested_action: z.string().nullable().optional().catch(undefined),
});
