import { randomId, randomToken } from './ids.js';
import type { FakeLinkTokenRecord } from './link-sessions.js';
import { accountFromSeed, defaultAccounts, defaultInstitutions } from './seeds.js';
import { FakeSignal } from './signal.js';
import type {
  CreatePublicTokenOptions,
  FakeAccountSeed,
  FakeInstitution,
  FakeItem,
  FakePlaidOptions,
  WireAccount,
  WireBalance,
} from './types.js';
import { FakeWebhookKeys } from './webhook-keys.js';

/** A public token lives 30 minutes (Plaid's documented lifetime). */
export const PUBLIC_TOKEN_TTL_MS = 30 * 60 * 1000;
/** A link token lives 4 hours by default. */
export const LINK_TOKEN_TTL_MS = 4 * 60 * 60 * 1000;

/** An account and whether the fake stamps a fresh `last_updated_datetime` on every read. */
export interface StoredAccount {
  account: WireAccount;
  refreshOnRead: boolean;
}

/** An Item as kept inside the fake. */
export interface FakeStoredItem {
  itemId: string;
  accessToken: string;
  institution: FakeInstitution;
  products: string[];
  webhook: string | null;
  removed: boolean;
  accounts: StoredAccount[];
  /** When Link created the Item (`/item/get`'s `created_at`). */
  createdAt: string;
}

interface PendingPublicToken {
  itemId: string;
  expiresAt: number;
  used: boolean;
}

/** The fake's memory: institutions, Items, tokens. No HTTP here. */
export class FakePlaidState {
  readonly now: () => Date;
  private readonly institutions = new Map<string, FakeInstitution>();
  private readonly seeds: FakeAccountSeed[];
  private readonly items = new Map<string, FakeStoredItem>();
  private readonly byAccessToken = new Map<string, FakeStoredItem>();
  private readonly publicTokens = new Map<string, PendingPublicToken>();
  readonly linkTokens = new Map<string, FakeLinkTokenRecord>();
  /** `client_user_id` -> Plaid's `user_id` (`/user/create`). */
  readonly users = new Map<string, string>();
  /** The webhook signing keys (kept across `clear()`, as Plaid's are). */
  readonly webhookKeys: FakeWebhookKeys;
  /** Item id -> the error code the Item is stuck in (`reset_login`, a fired `ERROR`). */
  readonly itemErrors = new Map<string, string>();
  /** Item id -> the last webhook fired for it (for `/item/get`'s `status.last_webhook`). */
  readonly lastWebhooks = new Map<string, { sentAt: string; code: string }>();
  /** Webhooks POSTed by `/sandbox/item/fire_webhook`, oldest first (`status` undefined: not delivered). */
  readonly deliveries: Array<{ url: string; body: string; status: number | undefined }> = [];
  /** Deliveries still on their way. */
  readonly pendingDeliveries = new Set<Promise<unknown>>();
  /** `/signal/evaluate`'s outcomes and evaluations. */
  readonly signal = new FakeSignal();

  constructor(options: FakePlaidOptions) {
    this.now = options.now ?? (() => new Date());
    for (const institution of [...defaultInstitutions, ...(options.institutions ?? [])]) {
      this.institutions.set(institution.id, institution);
    }
    this.seeds = options.defaultAccounts ?? defaultAccounts;
    this.webhookKeys = new FakeWebhookKeys(this.now);
  }

  /** The institution with that id, if the fake knows it. */
  institution(id: string): FakeInstitution | undefined {
    return this.institutions.get(id);
  }

  /** Creates an Item (not yet exchanged) and a public token for it: what Link does. */
  createPublicToken(options: CreatePublicTokenOptions = {}): string {
    const institutionId = options.institutionId ?? 'ins_109508';
    const institution = this.institutions.get(institutionId);
    if (!institution)
      throw new Error(`createPublicToken: the fake knows no institution ${JSON.stringify(institutionId)}`);
    const stamp = this.now().toISOString();
    const accounts = (options.accounts ?? this.seeds).map((seed): StoredAccount => {
      const account = accountFromSeed(seed);
      const seededStamp = seed.balances?.last_updated_datetime !== undefined;
      // Capital One refreshes depository accounts on demand, the others not: those report when they
      // last did, here at linking.
      const notLive = institution.requiresMinLastUpdated === true && account.type !== 'depository';
      if (!seededStamp && notLive) account.balances.last_updated_datetime = stamp;
      return { account, refreshOnRead: !seededStamp && !notLive };
    });
    const item: FakeStoredItem = {
      itemId: randomId(37),
      accessToken: randomToken('access'),
      institution,
      products: options.products ?? ['auth'],
      webhook: options.webhook ?? null,
      removed: false,
      accounts,
      createdAt: stamp,
    };
    this.items.set(item.itemId, item);
    const token = randomToken('public');
    this.publicTokens.set(token, {
      itemId: item.itemId,
      expiresAt: this.now().getTime() + PUBLIC_TOKEN_TTL_MS,
      used: false,
    });
    return token;
  }

  /**
   * Uses up a public token. `undefined` when it is unknown, expired or already used. The access
   * token becomes valid only now, as at Plaid.
   */
  exchangePublicToken(token: string): FakeStoredItem | undefined {
    const pending = this.publicTokens.get(token);
    if (!pending || pending.used || pending.expiresAt <= this.now().getTime()) return undefined;
    pending.used = true;
    const item = this.items.get(pending.itemId);
    if (!item) return undefined;
    this.byAccessToken.set(item.accessToken, item);
    return item;
  }

  /** The Item a public token was created for (used or not), or `undefined`. */
  itemForPublicToken(token: string): FakeStoredItem | undefined {
    const pending = this.publicTokens.get(token);
    return pending ? this.items.get(pending.itemId) : undefined;
  }

  /** The live Item an access token opens, or `undefined` (unknown, never exchanged, or removed). */
  itemByAccessToken(token: string): FakeStoredItem | undefined {
    const item = this.byAccessToken.get(token);
    return item && !item.removed ? item : undefined;
  }

  /** Marks an Item removed: its access token stops working. */
  removeItem(item: FakeStoredItem): void {
    item.removed = true;
    this.byAccessToken.delete(item.accessToken);
  }

  /** Changes an account's balance; returns false when no Item has that account. */
  setBalance(accountId: string, balance: Partial<WireBalance>): boolean {
    for (const item of this.items.values()) {
      const stored = item.accounts.find((entry) => entry.account.account_id === accountId);
      if (!stored) continue;
      Object.assign(stored.account.balances, balance);
      if (balance.last_updated_datetime !== undefined) stored.refreshOnRead = false;
      return true;
    }
    return false;
  }

  /** Snapshots of every Item, for assertions (copies: changing them changes nothing). */
  listItems(): FakeItem[] {
    return [...this.items.values()].map((item) => ({
      itemId: item.itemId,
      accessToken: item.accessToken,
      institutionId: item.institution.id,
      removed: item.removed,
      products: [...item.products],
      webhook: item.webhook,
      accounts: item.accounts.map((entry) => structuredClone(entry.account)),
    }));
  }

  /** Forgets every Item and token. Institutions and default accounts stay. */
  clear(): void {
    this.items.clear();
    this.byAccessToken.clear();
    this.publicTokens.clear();
    this.linkTokens.clear();
    this.users.clear();
    this.itemErrors.clear();
    this.lastWebhooks.clear();
    this.deliveries.length = 0;
    this.signal.clear();
  }
}
