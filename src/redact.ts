/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`. A second line of
 * defence: errors are built from chosen fields, but messages from sockets or stores pass through
 * here before they reach an error.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
