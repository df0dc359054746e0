/**
 * What each case of the token store contract (token-store-contract.ts) works through: the store
 * and a scope whose writes are remembered, so the case cleans up after itself.
 */
import { randomUUID } from 'node:crypto';
import type { StoredItem, TokenStore } from '../stores/token-store.js';

// Writes go through the scope so each case cleans up after itself; user ids get a unique prefix.
export class Scope {
  readonly run = `contract-${randomUUID()}-`;

  constructor(
    readonly store: TokenStore,
    private readonly written: StoredItem[],
  ) {}

  user(name: string): string {
    return `${this.run}${name}`;
  }

  item(userId: string, itemId: string, fields: Partial<StoredItem> = {}): StoredItem {
    return {
      userId,
      itemId,
      accessToken: `access-sandbox-${randomUUID()}`,
      institutionId: 'ins_109508',
      health: { status: 'healthy', since: new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 678)) },
      accounts: [
        { accountId: `acc-${itemId}`, name: 'Plaid Saving', mask: '1111', type: 'depository', subtype: 'savings' },
      ],
      createdAt: new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 678)),
      institutionName: 'First Platypus Bank',
      itemCreatedAt: new Date(Date.UTC(2024, 1, 28, 9, 8, 7, 0)),
      consent: {
        expiresAt: new Date(Date.UTC(2025, 7, 1, 0, 0, 0, 0)),
        products: ['balance'],
        useCases: [],
        dataScopes: ['account_balance_info'],
      },
      ...fields,
    };
  }

  async set(item: StoredItem): Promise<void> {
    this.written.push({ ...item });
    await this.store.set(item);
  }
}

/** One case as written: a name and a check run in its own scope. */
export interface ContractCase {
  name: string;
  check: (scope: Scope) => Promise<void>;
}
