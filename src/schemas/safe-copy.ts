/** Bounds of `safeCopy`. */
export interface SafeCopyLimits {
  /** Levels of arrays and objects kept; deeper ones become `'[too deep]'`. */
  depth: number;
  /** Entries kept per array or object; the rest are dropped, with a `'[… N more]'` marker. */
  entries: number;
  /** Characters kept per string. */
  stringLength: number;
}

const defaults: SafeCopyLimits = { depth: 6, entries: 50, stringLength: 2_000 };

/**
 * A copy of a JSON value from a server (Plaid's `causes`, say) that is safe to keep on an error:
 * every string passes through `redact`, and depth, width and string length are bounded, so that
 * `JSON.stringify(error)` and `util.inspect(error)` in an application's logger never throw (deep
 * nesting) or print megabytes. Only plain data is kept: numbers, strings, booleans, null, arrays
 * and plain objects.
 */
export function safeCopy(
  value: unknown,
  redact: (text: string) => string,
  limits: SafeCopyLimits = defaults,
  depth = 0,
): unknown {
  if (typeof value === 'string') return redact(value.slice(0, limits.stringLength));
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return undefined;
  if (depth >= limits.depth) return '[too deep]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.entries).map((entry) => safeCopy(entry, redact, limits, depth + 1));
    if (value.length > limits.entries) kept.push(`[… ${value.length - limits.entries} more]`);
    return kept;
  }
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, limits.entries)) {
    copy[redact(key.slice(0, limits.stringLength))] = safeCopy(
      (value as Record<string, unknown>)[key],
      redact,
      limits,
      depth + 1,
    );
  }
  if (keys.length > limits.entries) copy['…'] = `${keys.length - limits.entries} more`;
  return copy;
}
