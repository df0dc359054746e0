// Code of docs/rate-limits.md. `clientId` and `secret` come from your configuration.
import { createPlaidFacade } from 'plaid-facade';

declare const clientId: string;
declare const secret: string;

// #region redis
import { Redis } from 'ioredis';

const plaid = createPlaidFacade({
  clientId,
  secret,
  rateLimit: { redis: { client: new Redis(process.env.REDIS_URL!), prefix: 'myapp-plaid' } },
});
// on shutdown
await plaid.close(); // rejects waiting calls; closes the limiter's connection within redis.timeoutMs
// #endregion
