import { describe, expect, it } from 'vitest';
import { PlaidSchemaError, TokenNotFoundError } from '../../src/index.js';
import { balanceBody, useScriptedPlaid } from '../support/msw-plaid.js';
import { linkedScriptedFacade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();
const linkedFacade = () => linkedScriptedFacade(plaid);

describe('getBalances', () => {
  it('maps accounts to camelCase with Dates and the currency fallback', async () => {
    const { f } = await linkedFacade();
    const body = balanceBody('item-1');
    (body.accounts as unknown[]).push({
      account_id: 'acc-crypto',
      balances: {
        available: null,
        current: 0.5,
        limit: null,
        iso_currency_code: null,
        unofficial_currency_code: 'BTC',
        last_updated_datetime: '2026-11-25T12:00:00Z',
      },
      mask: null,
      name: 'Wallet',
      official_name: null,
      type: 'crypto',
      subtype: null,
      persistent_account_id: 'p-2',
    });
    plaid.script('/accounts/balance/get', { json: body });
    const before = Date.now();
    const result = await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    expect(result.userId).toBe('user-1');
    expect(result.itemId).toBe('item-1');
    expect(result.requestId).toBe('req-balance');
    expect(result.fetchedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.accounts).toEqual([
      {
        accountId: 'acc-checking',
        name: 'Plaid Checking',
        officialName: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        balances: {
          available: 100,
          current: 110,
          limit: null,
          currency: 'USD',
          isoCurrencyCode: 'USD',
          unofficialCurrencyCode: null,
          lastUpdated: null,
        },
      },
      {
        accountId: 'acc-crypto',
        name: 'Wallet',
        officialName: null,
        mask: null,
        type: 'crypto',
        subtype: null,
        balances: {
          available: null,
          current: 0.5,
          limit: null,
          currency: 'BTC',
          isoCurrencyCode: null,
          unofficialCurrencyCode: 'BTC',
          lastUpdated: new Date('2026-11-25T12:00:00Z'),
        },
      },
    ]);
  });

  it('sends accountIds and minLastUpdated as Plaid options', async () => {
    const { f } = await linkedFacade();
    plaid.script('/accounts/balance/get', { json: balanceBody('item-1') });
    await f.getBalances({
      userId: 'user-1',
      itemId: 'item-1',
      accountIds: ['acc-checking'],
      minLastUpdated: new Date('2026-11-01T00:00:00Z'),
    });
    expect(plaid.seen[0]?.body).toEqual({
      access_token: 'access-sandbox-abc',
      options: { account_ids: ['acc-checking'], min_last_updated_datetime: '2026-11-01T00:00:00.000Z' },
    });
  });

  it('accepts a body without last_updated_datetime (optional at Plaid)', async () => {
    const { f } = await linkedFacade();
    const body = balanceBody('item-1');
    const first = body.accounts[0] as { balances: Record<string, unknown> };
    delete first.balances.last_updated_datetime;
    plaid.script('/accounts/balance/get', { json: body });
    const result = await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    expect(result.accounts[0]?.balances.lastUpdated).toBeNull();
  });

  it("never reaches another user's Item", async () => {
    const { f } = await linkedFacade();
    await expect(f.getBalances({ userId: 'user-2', itemId: 'item-1' })).rejects.toBeInstanceOf(TokenNotFoundError);
    expect(plaid.seen).toHaveLength(0);
  });

  it('refuses balances that Plaid reports for a different Item', async () => {
    const { f } = await linkedFacade();
    plaid.script('/accounts/balance/get', { json: balanceBody('item-other') });
    await expect(f.getBalances({ userId: 'user-1', itemId: 'item-1' })).rejects.toBeInstanceOf(PlaidSchemaError);
  });
});
