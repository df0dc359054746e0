import { z } from './zod.js';

/** An ISO 8601 date-time string, as Plaid sends it, parsed to a `Date`. */
export const dateTimeSchema = z
  .string()
  .refine((text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)), {
    message: 'Expected an ISO 8601 date-time',
  })
  .transform((text) => new Date(text));
