// Code of docs/webhooks.md ("Verification keys"): a facade of a fleet sharing Plaid's webhook keys
// through Redis, prewarmed at start-up. Type-checked by `tsc --noEmit`.
import { Redis } from 'ioredis';
import { createPlaidFacade } from 'plaid-facade';

export async function startWebhookReceiver(redisUrl: string) {
  // #region fleet
  const plaid = createPlaidFacade({
    // Every process of the fleet shares Plaid's webhook keys: each new key id is fetched once.
    webhooks: { keyCache: { redis: { client: new Redis(redisUrl) } } },
  });
  // At start-up, before taking traffic: load the keys the fleet already fetched (none the first time).
  await plaid.webhooks.prewarm();
  // #endregion
  return plaid;
}
