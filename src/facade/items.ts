import type { ItemGetRequest } from 'plaid';
import { PlaidSchemaError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import { itemGetResponseSchema } from '../schemas/item-get.js';
import { z } from '../schemas/zod.js';
import type { ItemHealth, StoredItem } from '../stores/token-store.js';
import type { GetItemInput, GetItemResult, ListedItem, ListItemsInput } from '../types.js';
import { applyEffect, healthOf } from '../webhooks/health.js';
import { callPlaid, type FacadeContext, readItem } from './context.js';
import { boundedStore, withItemHealth } from './item-health.js';
import { userItems } from './user-items.js';

const getItemInputSchema = z.object({ userId: nonBlank, itemId: nonBlank }).strict();
const listItemsInputSchema = z.object({ userId: nonBlank }).strict();

/**
 * Reads an Item at Plaid (`/item/get`, free) and brings its stored health up to date: Plaid's
 * `item.error` is the truth about a broken Item, so this mends what missed webhooks left stale.
 * `pending_disconnect`, `pending_expiration` and `revoked` come only from webhooks and stay as
 * they are while Plaid reports no error.
 */
export async function getItem(
  context: FacadeContext,
  input: GetItemInput,
  callOptions: CallOptions | undefined,
): Promise<GetItemResult> {
  checkInput('getItem input', getItemInputSchema, input);
  const call = resolveCall(context.options, '/item/get', callOptions);
  const stored = await readItem(context, input, call.signal);
  const request = { access_token: stored.accessToken } satisfies ItemGetRequest;
  const body = await withItemHealth(context, stored, () =>
    callPlaid(context, call, {
      endpoint: '/item/get',
      schema: itemGetResponseSchema,
      itemId: input.itemId,
      accessToken: stored.accessToken,
      request,
    }),
  );
  if (body.item.item_id !== input.itemId) {
    throw new PlaidSchemaError(
      '/item/get',
      [{ path: ['item', 'item_id'], message: `expected the Item ${input.itemId}, got another` }],
      body.request_id,
    );
  }
  const { item } = body;
  const institutionId = item.institution_id ?? stored.institutionId ?? null;
  const health = await refresh(context, stored, item.error, institutionId);
  return {
    userId: input.userId,
    itemId: input.itemId,
    institutionId,
    institutionName: item.institution_name ?? null,
    createdAt: item.created_at ?? null,
    consent: {
      expiresAt: item.consent_expiration_time ?? null,
      products: item.consented_products ?? [],
      useCases: item.consented_use_cases ?? [],
      dataScopes: item.consented_data_scopes ?? [],
    },
    health,
    requestId: body.request_id,
  };
}

// Plaid's view of the Item, written to the store when it says something new.
async function refresh(
  context: FacadeContext,
  stored: StoredItem,
  error: { error_type: string; error_code: string; error_code_reason?: string | null | undefined } | null,
  institutionId: string | null,
): Promise<ItemHealth> {
  const since = new Date();
  const current = healthOf(stored);
  let next: ItemHealth | undefined;
  if (error) {
    const status = error.error_code === 'ITEM_LOGIN_REQUIRED' ? 'login_required' : 'error';
    const reason = error.error_code_reason ?? undefined;
    if (current.status !== status || current.errorCode !== error.error_code || current.reason !== reason) {
      next = { status, since, errorCode: error.error_code, ...(reason ? { reason } : {}) };
    }
  } else if (current.status === 'login_required' || current.status === 'error') {
    next = { status: 'healthy', since };
  }
  const learntInstitution = institutionId !== null && stored.institutionId === undefined;
  if (!next && !learntInstitution) return current;
  const effect = { ...(next ? { health: next } : {}), ...(learntInstitution ? { institutionId } : {}) };
  const update = await context.locks
    .run(stored.itemId, () => applyEffect(boundedStore(context), stored, effect))
    .catch(() => undefined);
  return update?.item ? healthOf(update.item) : (next ?? current);
}

/**
 * The user's Items as the store knows them (no Plaid call, never a token). A record that cannot be
 * read (with a store that has `listRecords`, e.g. `EncryptedTokenStore`) is listed with its `error`
 * and health `error` (its `errorCode` the record's code), so one bad record never hides the others.
 */
export async function listItems(context: FacadeContext, input: ListItemsInput): Promise<ListedItem[]> {
  checkInput('listItems input', listItemsInputSchema, input);
  const { items, unreadable } = await userItems(context, input.userId, undefined);
  const listedAt = new Date();
  return [
    ...items.map((item) => ({
      itemId: item.itemId,
      institutionId: item.institutionId ?? null,
      health: healthOf(item),
      accounts: (item.accounts ?? []).map((account) => ({ ...account })),
    })),
    ...unreadable.map(({ itemId, error }) => ({
      itemId,
      institutionId: null,
      health: { status: 'error' as const, since: listedAt, errorCode: error.code },
      accounts: [],
      error,
    })),
  ];
}
