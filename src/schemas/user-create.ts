import { z } from './zod.js';

/** Answer of `/user/create` (`UserCreateResponse`; 201 for a new user, 200 for an existing one). */
export const userCreateResponseSchema = z
  .object({
    user_token: z.string().optional(),
    user_id: z.string().min(1),
    request_id: z.string(),
  })
  .passthrough();
