import { z } from './zod.js';

/** What a fast check gives for a value it does not pass: zod then reads the value, for its issues. */
export const NOT_PASSED: unique symbol = Symbol('not passed');

/** A check compiled from a zod schema: the value zod's `safeParse` would give, or `NOT_PASSED`. */
export type FastCheck<Output> = (value: unknown) => Output | typeof NOT_PASSED;

/**
 * Compiles `schema` into a plain function that gives exactly what `schema.safeParse(value).data`
 * gives when the value passes, without zod 3's per-value contexts, paths and results (about 5 KB
 * of allocations per account, most of a 100-account answer's garbage; issue #25). It is built from
 * the schema itself, so a member added to the schema is checked here too.
 *
 * Only the plainest parts are compiled: objects (unknown keys stripped), strings and finite or
 * whole numbers with length and range bounds, booleans, `nullable`, `optional` and synchronous
 * transforms. Any other part (a `catch`, a refinement, a pattern) runs through zod's own
 * `safeParse` for that value. A value
 * the check does not pass gives `NOT_PASSED`, never an error: the caller then runs the whole
 * schema with zod, which reports the issues with their paths. So the check may refuse more than
 * zod (at worst the slow way is taken), never less (test/balances/fast-check.test.ts compares both).
 */
export function compileFastCheck<Schema extends z.ZodTypeAny>(schema: Schema): FastCheck<z.output<Schema>> {
  return compile(schema) as FastCheck<z.output<Schema>>;
}

/** Checks compiled so far, and those a schema's maker gave (`registerFastCheck`). */
const compiled = new WeakMap<z.ZodTypeAny, FastCheck<unknown>>();

/**
 * The fast check of `schema`, compiled on first use. It never throws: a value that makes it throw
 * (a getter, a Proxy, an asynchronous part met synchronously) gives `NOT_PASSED`, and zod reads it.
 */
export function fastCheckOf<Schema extends z.ZodTypeAny>(schema: Schema): FastCheck<z.output<Schema>> {
  let safe = safeChecks.get(schema);
  if (!safe) {
    const check = compile(schema);
    safe = (value) => {
      try {
        return check(value);
      } catch {
        return NOT_PASSED;
      }
    };
    safeChecks.set(schema, safe);
  }
  return safe as FastCheck<z.output<Schema>>;
}

/** `fastCheckOf`'s checks, by schema. */
const safeChecks = new WeakMap<z.ZodTypeAny, FastCheck<unknown>>();

/** Gives the fast check of a schema zod cannot describe to `compile` (see `boundedArray`). */
export function registerFastCheck(schema: z.ZodTypeAny, check: FastCheck<unknown>): void {
  compiled.set(schema, check);
}

function compile(schema: z.ZodTypeAny): FastCheck<unknown> {
  const known = compiled.get(schema);
  if (known) return known;
  const check = compileOnce(schema);
  compiled.set(schema, check);
  return check;
}

function compileOnce(schema: z.ZodTypeAny): FastCheck<unknown> {
  if (schema instanceof z.ZodString) return stringCheck(schema);
  if (schema instanceof z.ZodNumber) return numberCheck(schema);
  if (schema instanceof z.ZodBoolean && !schema._def.coerce) {
    return (value) => (typeof value === 'boolean' ? value : NOT_PASSED);
  }
  if (schema instanceof z.ZodNullable) {
    const inner = compile(schema._def.innerType);
    return (value) => (value === null ? null : inner(value));
  }
  if (schema instanceof z.ZodOptional) {
    const inner = compile(schema._def.innerType);
    return (value) => (value === undefined ? undefined : inner(value));
  }
  if (
    schema instanceof z.ZodObject &&
    (schema._def.unknownKeys === 'strip' || schema._def.unknownKeys === 'strict') &&
    schema._def.catchall instanceof z.ZodNever
  ) {
    return objectCheck(schema);
  }
  if (schema instanceof z.ZodArray) return arrayCheck(schema);
  if (schema instanceof z.ZodEffects && schema._def.effect.type === 'refinement') {
    return refinementCheck(schema._def.schema, schema._def.effect.refinement);
  }
  if (schema instanceof z.ZodEffects && schema._def.effect.type === 'transform') {
    return transformCheck(schema._def.schema, schema._def.effect.transform);
  }
  // Anything else is zod's to read, for this value only.
  return viaZod(schema);
}

/**
 * A `.transform()`: the inner check, then the transform, which fails the value by adding an issue
 * (as the RFC 3339 reading of a date-time does). An asynchronous transform is zod's to run.
 */
function transformCheck(
  inner: z.ZodTypeAny,
  transform: (value: unknown, context: z.RefinementCtx) => unknown,
): FastCheck<unknown> {
  const checkInner = compile(inner);
  // One context for every value: the transform runs synchronously, and adding an issue fails it.
  const context = {
    failed: false,
    path: [],
    addIssue() {
      context.failed = true;
    },
  };
  return (value) => {
    const checked = checkInner(value);
    if (checked === NOT_PASSED) return NOT_PASSED;
    context.failed = false;
    const output = transform(checked, context);
    return context.failed || output === z.NEVER || output instanceof Promise ? NOT_PASSED : output;
  };
}

function stringCheck(schema: z.ZodString): FastCheck<unknown> {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of schema._def.checks) {
    if (check.kind === 'min') min = Math.max(min, check.value);
    else if (check.kind === 'max') max = Math.min(max, check.value);
    else if (check.kind === 'length') {
      min = Math.max(min, check.value);
      max = Math.min(max, check.value);
    } else return viaZod(schema); // a pattern, a trim, an email…: zod's own reading
  }
  if (schema._def.coerce) return viaZod(schema);
  return (value) => (typeof value === 'string' && value.length >= min && value.length <= max ? value : NOT_PASSED);
}

function numberCheck(schema: z.ZodNumber): FastCheck<unknown> {
  let finite = false;
  let whole = false;
  let low = Number.NEGATIVE_INFINITY;
  let lowInclusive = true;
  let high = Number.POSITIVE_INFINITY;
  let highInclusive = true;
  for (const check of schema._def.checks) {
    if (check.kind === 'finite') finite = true;
    else if (check.kind === 'int') whole = true;
    else if (check.kind === 'min' && check.value >= low) {
      low = check.value;
      lowInclusive = check.inclusive;
    } else if (check.kind === 'max' && check.value <= high) {
      high = check.value;
      highInclusive = check.inclusive;
    } else return viaZod(schema);
  }
  if (schema._def.coerce) return viaZod(schema);
  return (value) => {
    // zod reads NaN as another type than a number.
    if (typeof value !== 'number' || Number.isNaN(value)) return NOT_PASSED;
    if ((finite && !Number.isFinite(value)) || (whole && !Number.isInteger(value))) return NOT_PASSED;
    if (lowInclusive ? value < low : value <= low) return NOT_PASSED;
    if (highInclusive ? value > high : value >= high) return NOT_PASSED;
    return value;
  };
}

function objectCheck(schema: z.AnyZodObject): FastCheck<unknown> {
  // zod never outputs a `__proto__` member: such a shape is zod's to read.
  if (Object.hasOwn(schema.shape, '__proto__')) return viaZod(schema);
  const members = Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(
    ([key, member]) => [key, compile(member)] as const,
  );
  // `.strict()`: a key the shape does not name is zod's to report.
  const strict = schema._def.unknownKeys === 'strict';
  const known = new Set(Object.keys(schema.shape));
  return (value) => {
    // zod reads only plain objects as objects here: a Date, Map, Set or thenable is another type.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_PASSED;
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return NOT_PASSED;
    const record = value as Record<string, unknown>;
    if (typeof record.then === 'function') return NOT_PASSED;
    if (strict) for (const key in record) if (!known.has(key)) return NOT_PASSED;
    const output: Record<string, unknown> = {};
    for (const [key, check] of members) {
      const member = check(record[key]);
      if (member === NOT_PASSED) return NOT_PASSED;
      // As zod: a member that reads as undefined is kept only when its key was there.
      if (member !== undefined || key in record) output[key] = member;
    }
    return output;
  };
}

function arrayCheck(schema: z.ZodArray<z.ZodTypeAny>): FastCheck<unknown> {
  const { minLength, maxLength, exactLength } = schema._def;
  const element = compile(schema._def.type);
  return (value) => {
    if (!Array.isArray(value)) return NOT_PASSED;
    if (minLength && value.length < minLength.value) return NOT_PASSED;
    if (maxLength && value.length > maxLength.value) return NOT_PASSED;
    if (exactLength && value.length !== exactLength.value) return NOT_PASSED;
    const output: unknown[] = [];
    for (const item of value) {
      const checked = element(item);
      if (checked === NOT_PASSED) return NOT_PASSED;
      output.push(checked);
    }
    return output;
  };
}

/** A `.refine()` or `.superRefine()`: the inner check, then the refinement, which fails the value by adding an issue. */
function refinementCheck(
  inner: z.ZodTypeAny,
  refinement: (value: unknown, context: z.RefinementCtx) => unknown,
): FastCheck<unknown> {
  const checkInner = compile(inner);
  const context = {
    failed: false,
    path: [],
    addIssue() {
      context.failed = true;
    },
  };
  return (value) => {
    const checked = checkInner(value);
    if (checked === NOT_PASSED) return NOT_PASSED;
    context.failed = false;
    const result = refinement(checked, context);
    return context.failed || result instanceof Promise ? NOT_PASSED : checked;
  };
}

function viaZod(schema: z.ZodTypeAny): FastCheck<unknown> {
  // (An asynchronous part makes safeParse throw: fastCheckOf turns that into NOT_PASSED.)
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : NOT_PASSED;
  };
}
