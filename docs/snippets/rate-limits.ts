// Code of docs/rate-limits.md. `clientId`, `secret`, `url` and `tokenStore` come from your configuration: the
// parameters of `overview`, which test/docs-snippets-run-hosts.test.ts calls (answering for Plaid's
// hosts with the fake Plaid, with the real Redis) and whose facades it then drives to their limits.
import { Redis } from 'ioredis';
import { createPlaidFacade, type TokenStore } from 'plaid-facade';

export function overview({
  clientId,
  secret,
  url,
  tokenStore,
}: {
  clientId: string;
  secret: string;
  url: string;
  tokenStore: TokenStore;
}) {
  // #region overview
  createPlaidFacade({ clientId, secret, environment: 'production', tokenStore }); // defaults
  createPlaidFacade({
    clientId,
    secret,
    rateLimit: { perItem: { '/accounts/balance/get': { limit: 3, intervalMs: 60_000 } } },
  });
  createPlaidFacade({ clientId, secret, rateLimit: { redis: { client: new Redis(url) } } }); // shared between processes
  createPlaidFacade({ clientId, secret, rateLimit: false }); // off
  // #endregion
}
