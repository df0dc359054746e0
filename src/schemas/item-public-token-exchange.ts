import { z } from './zod.js';

/** Answer of `/item/public_token/exchange` (`ItemPublicTokenExchangeResponse`). */
export const itemPublicTokenExchangeResponseSchema = z.object({
  access_token: z.string().min(1),
  item_id: z.string().min(1),
  request_id: z.string(),
});
