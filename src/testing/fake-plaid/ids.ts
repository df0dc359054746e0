import { randomBytes, randomUUID } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `length` letters and digits, like Plaid's ids. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return text;
}

/** A request id in Plaid's form (15 letters and digits). */
export function randomRequestId(): string {
  return randomId(15);
}

/** A token in Plaid's form `<kind>-sandbox-<uuid>`, e.g. `public-sandbox-…`. */
export function randomToken(kind: 'link' | 'public' | 'access'): string {
  return `${kind}-sandbox-${randomUUID()}`;
}
