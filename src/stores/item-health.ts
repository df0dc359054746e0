import type { PlaidErrorCodeReason } from '../errors.js';
/**
 * What plaid-facade knows of an Item's connection to its bank: fed by webhooks, by the facade's own
 * calls and by `getItem`. `since` is when that state began (a webhook's signing time, a call's
 * answer); a later state never yields to an older one.
 */
export interface ItemHealth {
  /**
   * - `healthy`: calls work.
   * - `login_required`: the user must go through Link in update mode (`ITEM_LOGIN_REQUIRED`).
   * - `pending_disconnect`: the Item stops working at `disconnectAt` unless the user re-links (US/CA).
   * - `pending_expiration`: the user's consent ends at `consentExpiresAt` (UK/EU).
   * - `revoked`: the user withdrew access at the bank or through Plaid; the Item is of no more use.
   * - `error`: another Item error (`errorCode` says which).
   */
  status: ItemHealthStatus;
  /** When this state began. */
  since: Date;
  /**
   * When this state was last confirmed (the newest webhook or call that said so), if later than
   * `since`: what an older event is compared with, so it cannot overwrite newer knowledge.
   */
  updatedAt?: Date | undefined;
  /** Plaid's `error_code` behind `login_required`, `error` or `revoked`. */
  errorCode?: string | undefined;
  /**
   * Plaid's `error_code_reason` behind `errorCode`, when it gave one: for an OAuth Item,
   * `'OAUTH_CONSENT_EXPIRED'`, `'OAUTH_USER_REVOKED'` or `'OAUTH_INVALID_TOKEN'`.
   */
  reason?: PlaidErrorCodeReason | undefined;
  /** When a pending disconnect takes effect. */
  disconnectAt?: Date | undefined;
  /** When a pending consent expiration takes effect. */
  consentExpiresAt?: Date | undefined;
}

/** The states of `ItemHealth.status`. */
export type ItemHealthStatus =
  | 'healthy'
  | 'login_required'
  | 'pending_disconnect'
  | 'pending_expiration'
  | 'revoked'
  | 'error';

/** What a store keeps of one account of an Item: enough to show it and to spot a duplicate Item, no balances. */
export interface ItemAccount {
  /** Plaid's `account_id`. */
  accountId: string;
  /** The account's name, as the user or the bank set it. */
  name: string;
  /** The last 2-4 characters of the account number, when Plaid has them (never the full number). */
  mask: string | null;
  /** Plaid's account type, e.g. `depository`. */
  type: string;
  /** Plaid's account subtype, e.g. `checking`. */
  subtype: string | null;
}

const statuses: ReadonlySet<string> = new Set<ItemHealthStatus>([
  'healthy',
  'login_required',
  'pending_disconnect',
  'pending_expiration',
  'revoked',
  'error',
]);

/** `ItemHealth` as JSON, dates as ISO-8601 strings (how Redis and PostgreSQL keep it). */
export interface ItemHealthJson {
  status: ItemHealthStatus;
  since: string;
  updatedAt?: string;
  errorCode?: string;
  reason?: string;
  disconnectAt?: string;
  consentExpiresAt?: string;
}

/** `health` as plain JSON: dates as ISO-8601 strings, absent fields left out. */
export function healthToJson(health: ItemHealth): ItemHealthJson {
  const json: ItemHealthJson = { status: health.status, since: health.since.toISOString() };
  if (health.updatedAt !== undefined) json.updatedAt = health.updatedAt.toISOString();
  if (health.errorCode !== undefined) json.errorCode = health.errorCode;
  if (health.reason !== undefined) json.reason = health.reason;
  if (health.disconnectAt !== undefined) json.disconnectAt = health.disconnectAt.toISOString();
  if (health.consentExpiresAt !== undefined) json.consentExpiresAt = health.consentExpiresAt.toISOString();
  return json;
}

/** Reads what `healthToJson` wrote; `undefined` when it is not that (the caller reports it). */
export function healthFromJson(value: unknown): ItemHealth | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = value as Partial<Record<keyof ItemHealthJson, unknown>>;
  if (typeof json.status !== 'string' || !statuses.has(json.status)) return undefined;
  const since = toDate(json.since);
  if (!since) return undefined;
  const health: ItemHealth = { status: json.status as ItemHealthStatus, since };
  if (json.errorCode !== undefined) {
    if (typeof json.errorCode !== 'string') return undefined;
    health.errorCode = json.errorCode;
  }
  if (json.reason !== undefined) {
    if (typeof json.reason !== 'string') return undefined;
    health.reason = json.reason;
  }
  for (const field of ['updatedAt', 'disconnectAt', 'consentExpiresAt'] as const) {
    if (json[field] === undefined) continue;
    const date = toDate(json[field]);
    if (!date) return undefined;
    health[field] = date;
  }
  return health;
}

/** Reads an array of `ItemAccount`s; `undefined` when it is not one. */
export function accountsFromJson(value: unknown): ItemAccount[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const accounts: ItemAccount[] = [];
  for (const entry of value) {
    const a = entry as Partial<Record<keyof ItemAccount, unknown>> | null;
    if (
      typeof a !== 'object' ||
      a === null ||
      typeof a.accountId !== 'string' ||
      typeof a.name !== 'string' ||
      (a.mask !== null && typeof a.mask !== 'string') ||
      typeof a.type !== 'string' ||
      (a.subtype !== null && typeof a.subtype !== 'string')
    ) {
      return undefined;
    }
    accounts.push({ accountId: a.accountId, name: a.name, mask: a.mask, type: a.type, subtype: a.subtype });
  }
  return accounts;
}

/** A deep copy of `health`, so callers cannot change a store's state through it. */
export function copyHealth(health: ItemHealth): ItemHealth {
  const copy: ItemHealth = { ...health, since: new Date(health.since.getTime()) };
  if (health.updatedAt) copy.updatedAt = new Date(health.updatedAt.getTime());
  if (health.disconnectAt) copy.disconnectAt = new Date(health.disconnectAt.getTime());
  if (health.consentExpiresAt) copy.consentExpiresAt = new Date(health.consentExpiresAt.getTime());
  return copy;
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
