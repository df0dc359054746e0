import { describe, expect, it } from 'vitest';
import { TokenNotFoundError } from '../../src/index.js';
import { useScriptedPlaid } from '../support/msw-plaid.js';
import { scriptedFacade as facade, linkedScriptedFacade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();
const linkedFacade = () => linkedScriptedFacade(plaid);

describe('linkToken', () => {
  it('sends Plaid the fields it requires, with credentials and version in headers', async () => {
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' },
    });
    const result = await facade().linkToken({ userId: 'user-1', webhook: 'https://example.com/hook' });
    expect(result).toEqual({
      linkToken: 'link-sandbox-1',
      expiration: new Date('2026-11-25T18:00:00Z'),
      requestId: 'req-1',
    });
    const [request] = plaid.seen;
    expect(request?.path).toBe('/link/token/create');
    expect(request?.headers.get('plaid-version')).toBe('2020-09-14');
    expect(request?.headers.get('plaid-client-id')).toBe('client-1');
    expect(request?.headers.get('plaid-secret')).toBe('secret-xyz-123');
    expect(request?.body).toEqual({
      client_name: 'plaid-facade',
      language: 'en',
      country_codes: ['US'],
      user: { client_user_id: 'user-1' },
      products: ['auth'],
      webhook: 'https://example.com/hook',
    });
  });

  it('in update mode sends the stored access token and no products', async () => {
    const { f } = await linkedFacade();
    plaid.script('/link/token/create', {
      json: { link_token: 'link-sandbox-2', expiration: '2026-11-25T18:00:00Z', request_id: 'req-2' },
    });
    await f.linkToken({ userId: 'user-1', itemId: 'item-1', clientName: 'My App', countryCodes: ['US', 'CA'] });
    expect(plaid.seen[0]?.body).toEqual({
      client_name: 'My App',
      language: 'en',
      country_codes: ['US', 'CA'],
      user: { client_user_id: 'user-1' },
      access_token: 'access-sandbox-abc',
    });
  });

  it('in update mode fails with TokenNotFoundError before any request when nothing is stored', async () => {
    await expect(facade().linkToken({ userId: 'user-1', itemId: 'item-404' })).rejects.toBeInstanceOf(
      TokenNotFoundError,
    );
    expect(plaid.seen).toHaveLength(0);
  });
});
