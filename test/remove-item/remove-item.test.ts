import { describe, expect, it } from 'vitest';
import { useScriptedPlaid } from '../support/msw-plaid.js';
import { linkedScriptedFacade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();
const linkedFacade = () => linkedScriptedFacade(plaid);

describe('removeItem', () => {
  it('removes the Item at Plaid, then its token from the store', async () => {
    const { f, store } = await linkedFacade();
    plaid.script('/item/products/terminate', { json: { request_id: 'req-rm' } });
    await expect(f.removeItem({ userId: 'user-1', itemId: 'item-1' })).resolves.toEqual({
      userId: 'user-1',
      itemId: 'item-1',
      requestId: 'req-rm',
    });
    expect(plaid.seen.map((r) => r.path)).toEqual(['/item/products/terminate']);
    expect(plaid.seen[0]?.body).toEqual({ access_token: 'access-sandbox-abc', reason_code: 'USER_OFFBOARDING' });
    expect(await store.get({ userId: 'user-1', itemId: 'item-1' })).toBeUndefined();
  });
});
