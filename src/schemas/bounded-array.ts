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
 */
export function boundedArray<Element extends z.ZodTypeAny>(
  element: Element,
  maxIssues = MAX_ARRAY_ISSUES,
): z.ZodType<Array<z.output<Element>>, z.ZodTypeDef, Array<z.input<Element>>> {
  // z.unknown() rather than z.array(z.unknown()): the latter walks every element once more. The
  // declared input type is the element's, as z.array's would be (the fake's wire checks use it).
  const schema = z.unknown().transform(async (items, context): Promise<Array<z.output<Element>>> => {
    if (!Array.isArray(items)) {
      context.addIssue({ code: 'custom', message: 'Expected array' });
      return z.NEVER;
    }
    const parsed: Array<z.output<Element>> = [];
    let reported = 0;
    for (let index = 0; index < items.length; index++) {
      if (index > 0 && index % ELEMENTS_PER_TURN === 0) await nextTurn();
      const result = element.safeParse(items[index]);
      if (result.success) {
        parsed.push(result.data);
        continue;
      }
      for (const issue of result.error.issues) {
        if (reported >= maxIssues) break;
        context.addIssue({ code: 'custom', message: issue.message, path: [index, ...issue.path] });
        reported += 1;
      }
      if (reported >= maxIssues) break;
    }
    return reported > 0 ? z.NEVER : parsed;
  });
  return schema as unknown as z.ZodType<Array<z.output<Element>>, z.ZodTypeDef, Array<z.input<Element>>>;
}

/** Lets every callback that is due (timers, I/O, `setImmediate`) run before going on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
