/**
 * The mock facade's default results (mock-facade.ts): the fixed instant, the accounts, an Item's
 * details, and webhooks read without a signature check. The same on every run.
 */
import type { Account } from '../schemas/accounts-balance-get.js';
import type { WebhookRequest } from '../types.js';
import { type PlaidWebhook, parseWebhook } from '../webhooks/parse.js';

/** The fixed instant the default results use, so that they are the same on every run. */
export const MOCK_NOW = new Date('2030-01-01T00:00:00.000Z');

/** The accounts `getBalances` answers by default: checking, savings, and a credit card with a limit. */
export function mockAccounts(): Account[] {
  const balance = (available: number | null, current: number, limit: number | null): Account['balances'] => ({
    available,
    current,
    limit,
    currency: 'USD',
    isoCurrencyCode: 'USD',
    unofficialCurrencyCode: null,
    lastUpdated: new Date(MOCK_NOW),
  });
  return [
    {
      accountId: 'mock-account-checking',
      name: 'Plaid Checking',
      officialName: 'Plaid Gold Standard 0% Interest Checking',
      mask: '0000',
      type: 'depository',
      subtype: 'checking',
      balances: balance(100, 110, null),
    },
    {
      accountId: 'mock-account-savings',
      name: 'Plaid Saving',
      officialName: 'Plaid Silver Standard 0.1% Interest Saving',
      mask: '1111',
      type: 'depository',
      subtype: 'savings',
      balances: balance(200, 210, null),
    },
    {
      accountId: 'mock-account-credit',
      name: 'Plaid Credit Card',
      officialName: 'Plaid Diamond 12.5% APR Interest Credit Card',
      mask: '3333',
      type: 'credit',
      subtype: 'credit card',
      balances: balance(null, 410, 2000),
    },
  ];
}

/** The mock's webhooks: the body is read as Plaid's, without a signature check (that is the real facade's job). */
export function readWebhook(request: WebhookRequest): PlaidWebhook {
  const body = request.body;
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  let environment = 'sandbox';
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { environment?: unknown };
    if (typeof parsed.environment === 'string') environment = parsed.environment;
  } catch {
    // parseWebhook reports it.
  }
  return parseWebhook(bytes, { environment, sentAt: new Date(MOCK_NOW) });
}

/** What the mock's getItem reports of an Item, and listItems once getItem has run. */
export function mockItemDetails() {
  return {
    institutionName: 'First Platypus Bank',
    createdAt: new Date(MOCK_NOW),
    consent: { expiresAt: null, products: ['balance'], useCases: [], dataScopes: [] },
  };
}
