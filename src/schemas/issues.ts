import type { Issue } from '../errors.js';
import type { z } from './zod.js';

/**
 * zod's issues as the library reports them: a path of keys and a message. The one mapping used
 * for Plaid's bodies (`PlaidSchemaError`) and for callers' input (`InvalidArgumentError`). An
 * unknown key's message lists the keys, never a value, so a secret in the wrong place is not echoed.
 */
export function toIssues(issues: ReadonlyArray<z.ZodIssue>): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    // `false | {...}` options: report what is wrong inside the object the caller meant, not
    // "Invalid input" for the whole union.
    if (issue.code === 'invalid_union') {
      const meant = issue.unionErrors.find((error) => !error.issues.some((inner) => isWrongKind(inner, issue.path)));
      if (meant) return toIssues(meant.issues);
    }
    return [
      {
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: issue.code === 'unrecognized_keys' ? `unknown option(s): ${issue.keys.join(', ')}` : issue.message,
      },
    ];
  });
}

/** Whether `issue` only says the value at `path` is of another kind than a union branch expects. */
function isWrongKind(issue: z.ZodIssue, path: ReadonlyArray<string | number>): boolean {
  return (
    (issue.code === 'invalid_type' || issue.code === 'invalid_literal') &&
    issue.path.length === path.length &&
    issue.path.every((key, index) => key === path[index])
  );
}
