import { isTransientStoreFailure } from '../errors/retryable.js';
import { isPlaidFacadeError, redactSecrets, TokenStoreError } from '../errors.js';

/**
 * Runs one operation of a backing store, turning whatever it throws into a `TokenStoreError`.
 * The cause keeps only a name, a message (with `secrets` redacted) and a code: a driver error can
 * carry the command and its arguments (ioredis) or the failing row (pg), which hold the token.
 * Errors plaid-facade already built are safe and pass through unchanged. A failed or dropped
 * connection (e.g. `ECONNREFUSED`) is `retryable`: the same operation may work in a moment
 * (`isTransientStoreFailure`, in the table `pipeline/classify.ts` owns: `errors/retryable.ts`).
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
      retryable: isTransientStoreFailure(error),
      ...(context.itemId === undefined ? {} : { itemId: context.itemId }),
    });
  }
}

// The driver's message; its code when the message is empty (Node's AggregateError for a refused
// connection to "localhost", tried over IPv4 and IPv6, has only `code: 'ECONNREFUSED'`).
function describe(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (typeof message === 'string' && message) return message;
  return typeof code === 'string' && code ? code : 'unknown error';
}
