// Code of docs/rate-limits.md. `clientId`, `secret`, `url` and `tokenStore` come from your configuration: the
// parameters of `overview`, which test/docs/docs-snippets-run-hosts.test.ts calls (answering for Plaid's
// hosts with the fake Plaid, with the real Redis) and whose facades it then drives to their limits.
import { Cluster, Redis } from 'ioredis';
import { createPlaidFacade, type PlaidFacade, RateLimiterError, type TokenStore } from 'plaid-facade';

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

export async function lanes(
  plaid: PlaidFacade,
  input: { userId: string; itemId: string },
  res: { status(code: number): { set(name: string, value: string): { end(): void } } },
) {
  // #region lanes
  // A user-facing read: waits at most rateLimit.maxWaitMs (default 5 s) for a slot.
  try {
    return await plaid.getBalances(input);
  } catch (error) {
    if (error instanceof RateLimiterError && error.code === 'RATE_LIMIT_WAIT_EXCEEDED') {
      // nothing was sent; a slot is expected in retryAfterMs
      res
        .status(429)
        .set('Retry-After', String(Math.ceil((error.retryAfterMs ?? 1_000) / 1_000)))
        .end();
      return undefined;
    }
    throw error;
  }
  // A nightly sweep: never more than half of any window (lanes.background.maxShare), no bound on waiting.
  // await plaid.getAllBalances({ userId }, { lane: 'background' });
  // #endregion
}

export function cluster({ clientId, secret }: { clientId: string; secret: string }) {
  // #region cluster
  const nodes = [{ host: 'redis-0', port: 6379 }];
  createPlaidFacade({
    clientId,
    secret,
    rateLimit: {
      redis: { client: new Cluster(nodes), prefix: 'myapp-plaid' }, // no `{` or `}` in the prefix
      maxWaitMs: 3_000, // interactive calls; background ones wait as long as it takes
      lanes: { background: { maxShare: 0.3 } },
    },
  });
  // #endregion
}
