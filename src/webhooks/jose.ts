/**
 * jose, loaded on the first webhook verification instead of with the package. jose 6 is ESM only:
 * required at the top of the CommonJS build, it made `require('plaid-facade')` fail wherever
 * require(esm) is missing — Jest's CommonJS runtime before Node 24.9 ("Must use import to load ES
 * Module") — even for code that never verifies a webhook. Importing the facade also stays cheaper.
 */
type Jose = typeof import('jose');

let loading: Promise<Jose> | undefined;

/** jose's module, imported once. */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose');
  return loading;
}
