import { describe, expect, it } from 'vitest';
import { PlaidApiError, type PlaidFacade, WebhookVerificationError } from '../../src/index.js';
import { createMockFacade, MOCK_NOW } from '../../src/testing/index.js';

/** A piece of "downstream" code: sums the current balances of a user's Item. */
async function totalBalance(plaid: PlaidFacade, userId: string, itemId: string): Promise<number> {
  const { accounts } = await plaid.getBalances({ userId, itemId });
  return accounts.reduce((sum, account) => sum + (account.balances.current ?? 0), 0);
}

describe('createMockFacade', () => {
  it('answers deterministic results shaped like the real ones', async () => {
    const plaid = createMockFacade();
    const link = await plaid.linkToken({ userId: 'u1' });
    expect(link).toEqual({
      linkToken: 'link-sandbox-mock-1',
      expiration: expect.any(Date),
      requestId: 'mock-request-1',
    });
    const exchange = await plaid.exchange({ userId: 'u1', publicToken: 'public-sandbox-x' });
    expect(exchange).toEqual({
      userId: 'u1',
      itemId: 'mock-item-1',
      requestId: 'mock-request-2',
      newlyExchanged: true,
    });
    const balances = await plaid.getBalances({ userId: 'u1', itemId: exchange.itemId });
    expect(balances.fetchedAt).toBeInstanceOf(Date);
    expect(balances.accounts.map((account) => account.subtype)).toEqual(['checking', 'savings', 'credit card']);
    expect(balances.accounts[0]?.balances).toEqual({
      available: 100,
      current: 110,
      limit: null,
      currency: 'USD',
      isoCurrencyCode: 'USD',
      unofficialCurrencyCode: null,
      lastUpdated: expect.any(Date),
    });
    expect(await plaid.removeItem({ userId: 'u1', itemId: exchange.itemId })).toEqual({
      userId: 'u1',
      itemId: 'mock-item-1',
      requestId: 'mock-request-4',
    });
  });

  it('gives the same results in a fresh mock', async () => {
    const first = await createMockFacade().getBalances({ userId: 'u', itemId: 'i' });
    const second = await createMockFacade().getBalances({ userId: 'u', itemId: 'i' });
    expect(second).toEqual(first);
  });

  it('filters accounts by accountIds', async () => {
    const result = await createMockFacade().getBalances({
      userId: 'u',
      itemId: 'i',
      accountIds: ['mock-account-savings'],
    });
    expect(result.accounts.map((account) => account.accountId)).toEqual(['mock-account-savings']);
  });

  it('records every call with its input and options', async () => {
    const plaid = createMockFacade();
    const signal = new AbortController().signal;
    await totalBalance(plaid, 'u1', 'i1');
    await plaid.getBalances({ userId: 'u2', itemId: 'i2' }, { signal });
    expect(plaid.calls.getBalances).toEqual([
      [{ userId: 'u1', itemId: 'i1' }, undefined],
      [{ userId: 'u2', itemId: 'i2' }, { signal }],
    ]);
    expect(plaid.calls.exchange).toEqual([]);
  });

  it('lets an override replace a method, and records calls that fail', async () => {
    const failure = new PlaidApiError(
      {
        status: 400,
        errorType: 'ITEM_ERROR',
        errorCode: 'ITEM_LOGIN_REQUIRED',
        errorMessage: 'login required',
        displayMessage: null,
        requestId: 'r1',
        documentationUrl: undefined,
        suggestedAction: null,
        errorCodeReason: null,
        causes: [],
      },
      { retryable: false },
    );
    const plaid = createMockFacade({
      getBalances: () => {
        throw failure;
      },
    });
    await expect(totalBalance(plaid, 'u1', 'i1')).rejects.toBe(failure);
    expect(plaid.calls.getBalances).toHaveLength(1);
  });

  it('use() changes behaviour later and reset() restores the creation-time overrides', async () => {
    const plaid = createMockFacade({ removeItem: (input) => ({ ...input, requestId: 'from-creation' }) });
    plaid.use({ removeItem: (input) => ({ ...input, requestId: 'from-use' }) });
    expect((await plaid.removeItem({ userId: 'u', itemId: 'i' })).requestId).toBe('from-use');
    plaid.reset();
    expect(plaid.calls.removeItem).toEqual([]);
    expect((await plaid.removeItem({ userId: 'u', itemId: 'i' })).requestId).toBe('from-creation');
  });

  it('counts close() calls', async () => {
    const plaid = createMockFacade();
    await plaid.close();
    expect(plaid.closeCount).toBe(1);
  });

  it('implements getItem, listItems and webhooks, recorded and overridable', async () => {
    const plaid = createMockFacade();
    const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: 'public-sandbox-x' });
    expect(await plaid.listItems({ userId: 'u1' })).toEqual([
      { itemId, institutionId: 'ins_109508', health: { status: 'healthy', since: MOCK_NOW }, accounts: [] },
    ]);
    expect(await plaid.getItem({ userId: 'u1', itemId })).toMatchObject({ itemId, health: { status: 'healthy' } });
    // As the real facade: getItem's details are listed once getItem has read them.
    expect(await plaid.listItems({ userId: 'u1' })).toEqual([
      {
        itemId,
        institutionId: 'ins_109508',
        institutionName: 'First Platypus Bank',
        createdAt: MOCK_NOW,
        consent: { expiresAt: null, products: ['balance'], useCases: [], dataScopes: [] },
        health: { status: 'healthy', since: MOCK_NOW },
        accounts: [],
      },
    ]);
    const body = JSON.stringify({
      webhook_type: 'ITEM',
      webhook_code: 'LOGIN_REPAIRED',
      item_id: itemId,
      environment: 'sandbox',
    });
    expect(await plaid.webhooks.verify({ body, headers: {} })).toMatchObject({
      known: true,
      webhookCode: 'LOGIN_REPAIRED',
      itemId,
      sentAt: MOCK_NOW,
    });
    expect(await plaid.webhooks.handle({ body, headers: {} })).toMatchObject({ applied: false, userId: undefined });
    plaid.use({
      handleWebhook: () => {
        throw new WebhookVerificationError('WEBHOOK_SIGNATURE_INVALID', 'forged');
      },
    });
    await expect(plaid.webhooks.handle({ body, headers: {} })).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(plaid.calls.verifyWebhook).toHaveLength(1);
    expect(plaid.calls.handleWebhook).toHaveLength(2);
    // The real facade's second argument, { signal }, is taken and recorded.
    const signal = new AbortController().signal;
    await plaid.webhooks.verify({ body, headers: {} }, { signal });
    expect(plaid.calls.verifyWebhook[1]?.[1]).toEqual({ signal });
    expect(plaid.calls.listItems).toEqual([
      [{ userId: 'u1' }, undefined],
      [{ userId: 'u1' }, undefined],
    ]);
  });
});
