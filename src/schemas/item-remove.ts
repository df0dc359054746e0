import { z } from './zod.js';

/** Answer of `/item/remove` (`ItemRemoveResponse`). */
export const itemRemoveResponseSchema = z.object({
  request_id: z.string(),
});
