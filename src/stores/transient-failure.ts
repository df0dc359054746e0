/**
 * Whether a backing store's failure is worth trying again: the connection failed or dropped, or the
 * server was busy, starting or shutting down. A missing table, a constraint or a bad record is not.
 */

// Socket errors of a connection that could not be made or was lost (node:net, pg, ioredis).
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs after which the same statement may succeed: server shutting down or starting
// (57P01-57P03), too many connections (53300), serialization failure and deadlock (40001, 40P01).
// Class 08 (connection exceptions) is matched by its prefix.
const postgresCodes = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

// Failures that carry no code: pg-pool's checkout timeout, a connection the server closed, and
// ioredis giving up on a command while Redis is unreachable.
const transientMessages = /timeout exceeded when trying to connect|Connection terminated|Connection is closed/i;

/** True when `error`, thrown by a store's client, describes a failure that may pass on its own. */
export function isTransientStoreFailure(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (socketCodes.has(code) || postgresCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && transientMessages.test(message);
}
