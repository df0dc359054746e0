/** The most starts (ms timestamps) in any half-open window [t, t + intervalMs). */
export function maxInWindow(starts: number[], intervalMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    let j = i;
    while (j < sorted.length && (sorted[j] as number) - (sorted[i] as number) < intervalMs) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}
