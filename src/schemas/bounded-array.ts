import { z } from './zod.js';

/** How many issues a bounded array reports before it stops reading. */
export const MAX_ARRAY_ISSUES = 5;

/**
 * Elements checked between two turns of the event loop. 64 accounts take about 2 ms to check in a
 * process that has just started (zod's code not yet optimised) and under 0.5 ms after; the 2,500
 * smallest valid accounts that fit in a balance answer's 512 KiB take 20–90 ms in all.
 */
export const ELEMENTS_PER_TURN = 64;

/**
 * An array whose elements are checked one by one, stopping after the first `maxIssues` issues.
 * zod's own arrays check every element and collect every issue, so 200,000 malformed accounts
 * cost millions of issue objects and seconds of a blocked event loop; here a bad answer fails as
 * fast as its first bad elements, and the issues keep their paths (`[index, ...path]`). A long
 * array gives the event loop a turn after every `ELEMENTS_PER_TURN` elements, so the schema must
 * be run with `safeParseAsync` (or `parseAsync`).
 *
 * `shape` turns each checked element into what the caller gets, in the same pass: an element
 * schema without `.transform()` or `.refine()` is several times cheaper to run in zod 3 (each is
 * one more wrapper, context, bound function and result per element: about 4 µs and 1.4 KB each, a
 * date-time per account was most of a 100-account answer's schema cost). A value the element's
 * schema types only loosely (a date-time as a string) is read by `shape`, which calls `refuse`
 * with the value's path in the element and a message when it cannot read it: the element then
 * counts as refused, with the same issue a refinement would give.
 */
export function boundedArray<Element extends z.ZodTypeAny, Output = z.output<Element>>(
  element: Element,
  shape: (checked: z.output<Element>, refuse: Refuse) => Output = (checked) => checked,
  maxIssues = MAX_ARRAY_ISSUES,
): z.ZodType<Output[], z.ZodTypeDef, Array<z.input<Element>>> {
  // z.unknown() rather than z.array(z.unknown()): the latter walks every element once more. The
  // declared input type is the element's, as z.array's would be (the fake's wire checks use it).
  const schema = z.unknown().transform((items, context): Output[] | Promise<Output[]> => {
    if (!Array.isArray(items)) {
      context.addIssue({ code: 'custom', message: 'Expected array' });
      return z.NEVER;
    }
    const read = { parsed: [] as Output[], reported: 0 };
    // A short array (most answers) is read at once: no promise, no turn of the event loop.
    if (items.length <= ELEMENTS_PER_TURN) {
      readSlice(items, 0, read);
      return read.reported > 0 ? z.NEVER : read.parsed;
    }
    return (async () => {
      for (let start = 0; start < items.length; start += ELEMENTS_PER_TURN) {
        if (start > 0) await nextTurn();
        if (!readSlice(items, start, read)) break;
      }
      return read.reported > 0 ? z.NEVER : read.parsed;
    })();

    /** Checks and shapes up to `ELEMENTS_PER_TURN` elements from `start`; false once `maxIssues` were reported. */
    function readSlice(all: unknown[], start: number, into: { parsed: Output[]; reported: number }): boolean {
      const end = Math.min(all.length, start + ELEMENTS_PER_TURN);
      let index = start;
      const refuse: Refuse = (path, message) => report(index, path, message);
      for (; index < end; index++) {
        const result = element.safeParse(all[index]);
        if (result.success) {
          const shaped = shape(result.data, refuse);
          if (into.reported === 0) into.parsed.push(shaped);
        } else {
          for (const issue of result.error.issues) report(index, issue.path, issue.message);
        }
        if (into.reported >= maxIssues) return false;
      }
      return true;

      function report(index: number, path: ReadonlyArray<string | number>, message: string): void {
        if (into.reported >= maxIssues) return;
        context.addIssue({ code: 'custom', message, path: [index, ...path] });
        into.reported += 1;
      }
    }
  });
  return schema as unknown as z.ZodType<Output[], z.ZodTypeDef, Array<z.input<Element>>>;
}

/** Refuses a value of a checked element: its path in the element, and why. */
export type Refuse = (path: ReadonlyArray<string | number>, message: string) => void;

/** Lets every callback that is due (timers, I/O, `setImmediate`) run before going on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
