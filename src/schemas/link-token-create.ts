import { dateTimeSchema } from './date-time.js';
import { z } from './zod.js';

/** Answer of `/link/token/create` (`LinkTokenCreateResponse`). */
export const linkTokenCreateResponseSchema = z.object({
  link_token: z.string().min(1),
  expiration: dateTimeSchema,
  request_id: z.string(),
  hosted_link_url: z.string().optional(),
  user_id: z.string().optional(),
});
