import { DuplicateItemError } from '../../errors.js';
import { resolveCall } from '../../options.js';
import type { LinkSuccessMetadata } from '../../schemas/link-metadata.js';
import type { ItemAccount, StoredItem } from '../../stores/token-store.js';
import { fetchAccounts } from '../accounts.js';
import { type FacadeContext, storeBound } from './context.js';
import { userItems } from './user-items.js';

/**
 * Refuses, before the exchange, a link that duplicates an Item the user already has, by the
 * facade's duplicate-Item rule (Plaid's by default; `duplicateItemRule: false` turns it off). Only
 * when Link's metadata was given: without it there is nothing to compare. The public token is left
 * unused, so no Item is created or billed.
 */
export async function refuseDuplicate(
  context: FacadeContext,
  userId: string,
  metadata: LinkSuccessMetadata | undefined,
  signal?: AbortSignal | undefined,
): Promise<void> {
  const rule = context.options.duplicateItemRule;
  if (!metadata || rule === false) return;
  const candidate = {
    institutionId: metadata.institution?.institution_id ?? null,
    accounts: (metadata.accounts ?? []).map((account) => ({ name: account.name, mask: account.mask ?? null })),
  };
  // Unreadable records and Items removed at Plaid are no duplicates: neither can be used.
  const { items } = await userItems(context, userId, signal);
  const mine = items.map(({ itemId, institutionId, accounts }) => ({ itemId, institutionId, accounts }));
  const duplicateOf = rule(candidate, mine);
  if (duplicateOf !== undefined) {
    throw new DuplicateItemError(
      duplicateOf,
      metadata.institution?.name ?? candidate.institutionId ?? 'the same institution',
    );
  }
}

/**
 * What Link's metadata says of the new Item: its institution and accounts. Accounts are taken only
 * when each has its type (Link always sends it); otherwise `accounts` is left for `/accounts/get`.
 */
export function describedByMetadata(
  metadata: LinkSuccessMetadata | undefined,
): Pick<StoredItem, 'institutionId' | 'accounts'> {
  const institutionId = metadata?.institution?.institution_id;
  const given = metadata?.accounts;
  const complete = given && given.length > 0 && given.every((account) => typeof account.type === 'string');
  return {
    institutionId: institutionId ?? undefined,
    accounts: complete
      ? given.map(
          (account): ItemAccount => ({
            accountId: account.id,
            name: account.name,
            mask: account.mask ?? null,
            type: account.type as string,
            subtype: account.subtype ?? null,
          }),
        )
      : undefined,
  };
}

/**
 * Fills in what the metadata left out (institution, accounts) from a free `/accounts/get` right
 * after the exchange. The Item is already stored: a failure here only leaves those fields empty,
 * it never fails the exchange. One attempt, no retry: the exchange's caller is waiting.
 */
export async function describeFromPlaid(context: FacadeContext, item: StoredItem): Promise<void> {
  if (item.institutionId !== undefined && item.accounts !== undefined) return;
  try {
    const call = {
      ...resolveCall(context.options, '/accounts/get', undefined),
      retry: { retries: 0, minDelayMs: 0, maxDelayMs: 0 },
    };
    const body = await fetchAccounts(context, call, item.accessToken, item.itemId);
    const fresh = await storeBound(context, 'Reading a record', item.itemId, () =>
      context.store.get({ userId: item.userId, itemId: item.itemId }),
    );
    if (!fresh) return;
    await storeBound(context, 'Writing a record', item.itemId, () =>
      context.store.set({
        ...fresh,
        institutionId: fresh.institutionId ?? body.item.institution_id ?? undefined,
        accounts:
          fresh.accounts ??
          body.accounts.map(({ accountId, name, mask, type, subtype }) => ({ accountId, name, mask, type, subtype })),
      }),
    );
  } catch {
    // Left unknown: getItem or a later read can still learn it.
  }
}
