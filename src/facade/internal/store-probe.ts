import { isPlaidFacadeError, TokenStoreError } from '../../errors.js';
import { type FacadeContext, storeBound } from './context.js';

/**
 * Checks, before `exchange` spends a public token, that the store can keep the access token
 * (`TokenStore.probe`, when the store has one: a PostgreSQL table that exists, a Redis that
 * answers). A failure is a `TokenStoreError` that keeps the store's own advice (e.g. "call
 * ensureSchema() first") and says the public token is still unused.
 */
export async function probeStore(context: FacadeContext): Promise<void> {
  const probe = context.store.probe?.bind(context.store);
  if (probe === undefined) return;
  try {
    await storeBound(context, 'Checking the token store', undefined, probe);
  } catch (error) {
    const inner = isPlaidFacadeError(error) ? error : undefined;
    throw new TokenStoreError(
      `The token store cannot keep an access token, so the public token was not exchanged (it stays usable for its 30 minutes): ${inner?.message ?? String(error)}`,
      {
        cause: error,
        // retryable as the store's own error is (errors/retryable.ts: `tokenStoreRetryable`)
        ...(inner?.code === 'TOKEN_STORE_TIMEOUT' ? { code: 'TOKEN_STORE_TIMEOUT' as const } : {}),
      },
    );
  }
}
