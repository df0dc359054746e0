import { errorBody, rateLimitCode } from './errors.js';
import type { FakeErrorBody, FakeRateLimit } from './types.js';

interface Window {
  startedAt: number;
  count: number;
}

/** Simulated Plaid rate limits: a fixed window per endpoint, or per endpoint and Item. */
export class FakeRateLimits {
  private readonly limits = new Map<string, { spec: FakeRateLimit; windows: Map<string, Window> }>();

  /** Sets (or, with `undefined`, lifts) the limit of an endpoint. */
  set(endpoint: string, spec: FakeRateLimit | undefined): void {
    if (!spec) {
      this.limits.delete(endpoint);
      return;
    }
    if (!(spec.limit >= 0) || !(spec.intervalMs > 0))
      throw new TypeError('setRateLimit: limit >= 0 and intervalMs > 0 are needed');
    this.limits.set(endpoint, { spec, windows: new Map() });
  }

  /**
   * Counts one call; returns Plaid's 429 body when it is past the limit. `accessToken` keys the
   * per-Item limits (calls without one share a key).
   */
  check(endpoint: string, accessToken: string | undefined, now: number): FakeErrorBody | undefined {
    const entry = this.limits.get(endpoint);
    if (!entry) return undefined;
    const perItem = entry.spec.perItem === true;
    const key = perItem ? (accessToken ?? '') : '';
    let window = entry.windows.get(key);
    if (!window || now - window.startedAt >= entry.spec.intervalMs) {
      window = { startedAt: now, count: 0 };
      entry.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= entry.spec.limit) return undefined;
    return errorBody(rateLimitCode(endpoint, perItem));
  }

  /** Lifts every limit. */
  clear(): void {
    this.limits.clear();
  }
}
