import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../src/index.js';
import { useScriptedPlaid } from '../support/msw-plaid.js';
import { scriptedFacade as facade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();

describe('exchange', () => {
  it('stores the access token and returns none', async () => {
    const store = new MemoryTokenStore();
    const f = facade({ tokenStore: store });
    plaid.script('/item/public_token/exchange', {
      json: { access_token: 'access-sandbox-abc', item_id: 'item-1', request_id: 'req-x' },
    });
    const result = await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
    expect(result).toEqual({ userId: 'user-1', itemId: 'item-1', requestId: 'req-x', newlyExchanged: true });
    expect(JSON.stringify(result)).not.toContain('access-sandbox-abc');
    expect(plaid.seen[0]?.body).toEqual({ public_token: 'public-sandbox-1' });
    const stored = await store.get({ userId: 'user-1', itemId: 'item-1' });
    expect(stored?.accessToken).toBe('access-sandbox-abc');
    expect(stored?.createdAt).toBeInstanceOf(Date);
  });
});
