/** One figure of a benchmark: a ratio or a count measured in this run, with its target. */
export interface Figure {
  name: string;
  value: string;
  target?: string;
  /** Whether the figure meets its target; undefined when it has none. */
  met?: boolean;
}

/** What each benchmark returns, for the report. */
export interface BenchSection {
  title: string;
  /** How it was measured, in a sentence or two. */
  method: string;
  figures: Figure[];
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Formats a ratio as `1.02×`. */
export function ratio(value: number): string {
  return `${value.toFixed(3)}×`;
}
