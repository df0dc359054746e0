import { checkInput, nonBlank } from '../options.js';
import { z } from '../schemas/zod.js';
import { copyDetails } from '../stores/item-details.js';
import type { ListedItem, ListItemsInput } from '../types.js';
import { healthOf } from '../webhooks/health.js';
import type { FacadeContext } from './internal/context.js';
import { userItems } from './internal/user-items.js';

const listItemsInputSchema = z.object({ userId: nonBlank }).strict();

/**
 * The user's Items as the store knows them (no Plaid call, never a token), with what `getItem`
 * last learnt of each (`institutionName`, `createdAt`, `consent`; absent before). A record that cannot be
 * read (with a store that has `listRecords`, e.g. `EncryptedTokenStore`) is listed with its `error`
 * and health `error` (its `errorCode` the record's code), so one bad record never hides the others.
 */
export async function listItems(context: FacadeContext, input: ListItemsInput): Promise<ListedItem[]> {
  checkInput('listItems input', listItemsInputSchema, input);
  const { items, unreadable } = await userItems(context, input.userId, undefined);
  const listedAt = new Date();
  return [
    ...items.map((item): ListedItem => {
      const { institutionName, itemCreatedAt, consent } = copyDetails(item);
      return {
        itemId: item.itemId,
        institutionId: item.institutionId ?? null,
        health: healthOf(item),
        accounts: (item.accounts ?? []).map((account) => ({ ...account })),
        ...(institutionName !== undefined ? { institutionName } : {}),
        ...(itemCreatedAt !== undefined ? { createdAt: itemCreatedAt } : {}),
        ...(consent !== undefined ? { consent } : {}),
      };
    }),
    ...unreadable.map(({ itemId, error }) => ({
      itemId,
      institutionId: null,
      health: { status: 'error' as const, since: listedAt, errorCode: error.code },
      accounts: [],
      error,
    })),
  ];
}
