/** Parses JSON, or gives `undefined` for text that is not JSON (a proxy's HTML page, a cut body). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
