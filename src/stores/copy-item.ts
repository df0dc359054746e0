import { copyConsent } from './item-details.js';
import { copyHealth } from './item-health.js';
import type { StoredItem } from './token-store.js';

/**
 * A deep copy of a stored Item (dates, health, accounts, consent), so neither a caller nor a store can
 * change the other's object. Optional fields that are absent stay absent.
 */
export function copyItem(item: StoredItem): StoredItem {
  const copy: StoredItem = { ...item, createdAt: new Date(item.createdAt.getTime()) };
  if (item.health) copy.health = copyHealth(item.health);
  if (item.accounts) copy.accounts = item.accounts.map((account) => ({ ...account }));
  if (item.itemCreatedAt) copy.itemCreatedAt = new Date(item.itemCreatedAt.getTime());
  if (item.consent) copy.consent = copyConsent(item.consent);
  return copy;
}
