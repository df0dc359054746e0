import type { WebhookHeaders } from '../types.js';

/**
 * The value of header `name`, looked up case-insensitively (HTTP/1 names are case-insensitive,
 * HTTP/2 ones lowercase). `undefined` when absent or empty; `null` when sent more than once.
 */
export function headerValue(headers: WebhookHeaders | undefined, name: string): string | null | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    // Fetch Headers joins repeated values with ", ": a JWT never contains one.
    if (value?.includes(',')) return null;
    return value ? value : undefined;
  }
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) found.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  const present = found.filter((value) => value.trim() !== '');
  if (present.length > 1) return null;
  return present[0]?.trim();
}
