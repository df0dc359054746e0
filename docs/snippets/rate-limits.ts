// Code of docs/rate-limits.md. `clientId`, `secret` and `url` come from your configuration.
import { Redis } from 'ioredis';
import { createPlaidFacade } from 'plaid-facade';

declare const clientId: string;
declare const secret: string;
declare const url: string;

// #region overview
createPlaidFacade({ clientId, secret, environment: 'production' }); // defaults
createPlaidFacade({
  clientId,
  secret,
  rateLimit: { perItem: { '/accounts/balance/get': { limit: 3, intervalMs: 60_000 } } },
});
createPlaidFacade({ clientId, secret, rateLimit: { redis: { client: new Redis(url) } } }); // shared between processes
createPlaidFacade({ clientId, secret, rateLimit: false }); // off
// #endregion
