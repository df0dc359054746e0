import { isPlaidFacadeError } from 'plaid-facade';

/**
 * What the demo prints when it fails: one line with the error's class, code and message (which
 * names the fix where the facade knows it), not a stack dump. `PLAID_FACADE_LOG=debug` shows the
 * whole error too.
 */
export function failureLine(error: unknown): string {
  if (isPlaidFacadeError(error)) return `Demo failed: ${error.name} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `Demo failed: ${error.message}`;
  return `Demo failed: ${String(error)}`;
}
