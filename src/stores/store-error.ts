import { isPlaidFacadeError, redactSecrets, TokenStoreError } from '../errors.js';

/**
 * Runs one operation of a backing store, turning whatever it throws into a `TokenStoreError`.
 * The cause keeps only a name, a message (with `secrets` redacted) and a code: a driver error can
 * carry the command and its arguments (ioredis) or the failing row (pg), which hold the token.
 * Errors plaid-facade already built are safe and pass through unchanged.
 */
export async function storeCall<T>(
  what: string,
  context: { itemId?: string | undefined; secrets?: ReadonlyArray<string | undefined> },
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isPlaidFacadeError(error)) throw error;
    const secrets = context.secrets ?? [];
    throw new TokenStoreError(`${what} failed: ${redactSecrets(describe(error), secrets)}`, {
      cause: error,
      redact: (text) => redactSecrets(text, secrets),
      ...(context.itemId === undefined ? {} : { itemId: context.itemId }),
    });
  }
}

function describe(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : 'unknown error';
}
