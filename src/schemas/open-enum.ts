import { z } from './zod.js';

/**
 * A string that may be one of the known `values` or any value Plaid adds later. The type keeps the
 * known values for autocompletion (`(string & {})` stops TypeScript from collapsing the union).
 */
export type OpenEnum<T extends string> = T | (string & {});

/** Schema of an open enum: every string passes, typed as the known values or a string. */
export function openEnum<const T extends readonly string[]>(_values: T): z.ZodType<OpenEnum<T[number]>> {
  return z.string() as z.ZodType<OpenEnum<T[number]>>;
}
