import { describe, expect, it } from 'vitest';
import { useScriptedPlaid } from '../support/msw-plaid.js';
import { scriptedFacade as facade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();

describe('options', () => {
  it('sends requests through the PlaidApi the user passes', async () => {
    const { Configuration, PlaidApi } = await import('plaid');
    const plaidApi = new PlaidApi(
      new Configuration({
        basePath: 'https://sandbox.plaid.com',
        baseOptions: { headers: { 'PLAID-CLIENT-ID': 'own-client', 'PLAID-SECRET': 'own-secret', 'X-Trace': 'mine' } },
      }),
    );
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    await facade({ plaidApi }).linkToken({ userId: 'user-1' });
    expect(plaid.seen[0]?.headers.get('x-trace')).toBe('mine');
    expect(plaid.seen[0]?.headers.get('plaid-client-id')).toBe('own-client');
    expect(plaid.seen[0]?.headers.get('plaid-version')).toBe('2020-09-14');
  });

  it('keeps working when an onEvent listener throws', async () => {
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    const f = facade({
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await expect(f.linkToken({ userId: 'user-1' })).resolves.toMatchObject({ linkToken: 'link-sandbox-1' });
  });
});
