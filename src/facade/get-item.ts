import type { ItemGetRequest } from 'plaid';
import { PlaidSchemaError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import { itemGetResponseSchema } from '../schemas/item-get.js';
import { z } from '../schemas/zod.js';
import { changedDetails } from '../stores/item-details.js';
import type { ItemConsent, ItemDetails, ItemHealth, StoredItem } from '../stores/token-store.js';
import type { GetItemInput, GetItemResult } from '../types.js';
import { applyEffect, healthOf } from '../webhooks/health.js';
import { callPlaid, type FacadeContext, readItem } from './internal/context.js';
import { boundedStore, withItemHealth } from './internal/item-health.js';

const getItemInputSchema = z.object({ userId: nonBlank, itemId: nonBlank }).strict();

/**
 * Reads an Item at Plaid (`/item/get`, free) and brings its stored health up to date: Plaid's
 * `item.error` is the truth about a broken Item, so this mends what missed webhooks left stale.
 * `pending_disconnect`, `pending_expiration` and `revoked` come only from webhooks and stay as
 * they are while Plaid reports no error. The institution's name, the Item's creation date and its
 * consent are kept with the Item too (`ItemDetails`), so `listItems` can show them without Plaid.
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
  const consent: ItemConsent = {
    expiresAt: item.consent_expiration_time ?? null,
    products: item.consented_products ?? [],
    useCases: item.consented_use_cases ?? [],
    dataScopes: item.consented_data_scopes ?? [],
  };
  // Only what Plaid said: a field it left out never erases what the store has.
  const details: ItemDetails = {
    ...(item.institution_name != null ? { institutionName: item.institution_name } : {}),
    ...(item.created_at !== undefined ? { itemCreatedAt: item.created_at } : {}),
    ...(saysConsent(item) ? { consent } : {}),
  };
  const health = await refresh(context, stored, item.error, institutionId, details);
  return {
    userId: input.userId,
    itemId: input.itemId,
    institutionId,
    institutionName: item.institution_name ?? null,
    createdAt: item.created_at ?? null,
    consent,
    health,
    requestId: body.request_id,
  };
}

// Whether the answer carries any consent field (`consent_expiration_time` is required by Plaid's
// spec; an older or trimmed answer may lack them all, and then says nothing of the consent).
function saysConsent(item: Record<string, unknown>): boolean {
  return ['consent_expiration_time', 'consented_products', 'consented_use_cases', 'consented_data_scopes'].some(
    (field) => item[field] !== undefined,
  );
}

// Plaid's view of the Item, written to the store when it says something new.
async function refresh(
  context: FacadeContext,
  stored: StoredItem,
  error: { error_type: string; error_code: string; error_code_reason?: string | null | undefined } | null,
  institutionId: string | null,
  details: ItemDetails,
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
  const learntDetails = changedDetails(stored, details);
  if (!next && !learntInstitution && !learntDetails) return current;
  const effect = {
    ...(next ? { health: next } : {}),
    ...(learntInstitution ? { institutionId } : {}),
    ...(learntDetails ? { details: learntDetails } : {}),
  };
  const update = await context.locks
    .run(stored.itemId, () => applyEffect(boundedStore(context), stored, effect))
    .catch(() => undefined);
  return update?.item ? healthOf(update.item) : (next ?? current);
}
