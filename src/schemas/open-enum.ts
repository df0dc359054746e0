import { z } from './zod.js';

/**
 * A string that may be one of the known `values` or any value Plaid adds later. The type keeps the
 * known values for autocompletion (`(string & {})` stops TypeScript from collapsing the union).
 */
export type OpenEnum<T extends string> = T | (string & {});

/** Schema of an open enum: every string passes, typed as the `Known` values or a string. */
export function openEnum<Known extends string>(): z.ZodType<OpenEnum<Known>> {
  return z.string() as z.ZodType<OpenEnum<Known>>;
}
