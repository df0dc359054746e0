import { InvalidArgumentError } from '../errors.js';

const part = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Validates a table name, `table` or `schema.table`, and returns it quoted as an SQL identifier
 * (`"schema"."table"`). Each part must be 1 to 63 characters of letters, digits and `_`, not
 * starting with a digit, so the quoted form can never break out of the identifier. Quoting makes
 * the name case-sensitive: `Tokens` is the table `"Tokens"`, not `tokens`.
 *
 * @throws InvalidArgumentError for anything else
 */
export function quoteTableName(name: unknown): { quoted: string; parts: string[] } {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => part.test(p))) {
    throw new InvalidArgumentError('PostgresTokenStore options', [
      {
        path: ['table'],
        message:
          'must be `table` or `schema.table`, each 1-63 characters of A-Z a-z 0-9 _ and not starting with a digit',
      },
    ]);
  }
  return { quoted: parts.map((p) => `"${p}"`).join('.'), parts };
}
