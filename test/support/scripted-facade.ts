import { createPlaidFacade, MemoryTokenStore, type PlaidFacadeOptions } from '../../src/index.js';
import type { useScriptedPlaid } from './msw-plaid.js';

/** A facade against the scripted Plaid (msw), with no rate limit; `extra` overrides any option. */
export function scriptedFacade(extra: Partial<PlaidFacadeOptions> = {}) {
  return createPlaidFacade({ clientId: 'client-1', secret: 'secret-xyz-123', rateLimit: false, ...extra });
}

/**
 * A scripted facade whose store holds `user-1`'s Item `item-1` (access token `access-sandbox-abc`),
 * linked through a scripted exchange; `plaid.seen` is emptied afterwards.
 */
export async function linkedScriptedFacade(
  plaid: ReturnType<typeof useScriptedPlaid>,
  store = new MemoryTokenStore(),
): Promise<{ f: ReturnType<typeof createPlaidFacade>; store: MemoryTokenStore }> {
  const f = scriptedFacade({ tokenStore: store });
  plaid.script('/item/public_token/exchange', {
    json: { access_token: 'access-sandbox-abc', item_id: 'item-1', request_id: 'req-x' },
  });
  await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
  plaid.seen.length = 0;
  return { f, store };
}
