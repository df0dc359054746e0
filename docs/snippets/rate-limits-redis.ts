// Code of docs/rate-limits.md. `clientId` and `secret` come from your configuration: here, from
// test/docs/docs-snippets-run-hosts.test.ts, which sets REDIS_URL to the real Redis it was given, answers
// for https://sandbox.plaid.com with the fake Plaid, makes a call and then shuts down.
import { createPlaidFacade } from 'plaid-facade';
import { given } from './given.js';

export interface Given {
  clientId: string;
  secret: string;
}
const { clientId, secret } = given<Given>();

// #region redis
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL!);
const plaid = createPlaidFacade({ clientId, secret, rateLimit: { redis: { client: redis, prefix: 'myapp-plaid' } } });

// on shutdown
export async function shutdown(): Promise<void> {
  await plaid.close(); // rejects waiting calls; closes the limiter's connection within redis.timeoutMs
  await redis.quit(); // your client is yours to close: the limiter only duplicate()d it
}
// #endregion

export { plaid, redis };
