import type { ItemProductsTerminateRequest, ItemRemoveRequest, ProductsTerminateReasonCode } from 'plaid';
import { isPlaidFacadeError, PlaidApiError, redactSecrets, TokenStoreError } from '../errors.js';
import { DEFAULT_REMOVE_REASON, DEFAULT_REMOVE_UNREADABLE } from '../options/defaults.js';
import { type CallOptions, checkInput, idSchema, type ResolvedCall, resolveCall } from '../options.js';
import { isEndpointUnavailable, isItemGone } from '../pipeline/classify.js';
import {
  itemProductsTerminateResponseSchema,
  removeReasonCodes,
  terminateReasonSchema,
} from '../schemas/item-products-terminate.js';
import { itemRemoveResponseSchema } from '../schemas/item-remove.js';
import { z } from '../schemas/zod.js';
import type { RemoveItemInput, RemoveItemReason, RemoveItemResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem, storeBound } from './internal/context.js';

const removeItemInputSchema = z
  .object({
    userId: idSchema,
    itemId: idSchema,
    reason: terminateReasonSchema.optional(),
    unreadable: z.enum(['fail', 'delete']).optional(),
  })
  .strict();

/** `TokenStoreError` codes of a record that can never be read again. */
const UNREADABLE_CODES: ReadonlySet<string> = new Set([
  'TOKEN_NOT_ENCRYPTED',
  'TOKEN_FORMAT_INVALID',
  'TOKEN_KEY_UNKNOWN',
  'TOKEN_DECRYPT_FAILED',
  'TOKEN_RECORD_INVALID',
]);

function isUnreadable(error: unknown): boolean {
  return isPlaidFacadeError(error) && error instanceof TokenStoreError && UNREADABLE_CODES.has(error.code);
}

/**
 * Removes an Item at Plaid (`/item/products/terminate` with `reason`, default
 * `USER_OFFBOARDING`; `/item/remove` where terminate is not available to the client), then its
 * record from the store. An Item already gone
 * at Plaid (removed earlier, or its token revoked) is finished locally, so a retried removal
 * converges. If the store cannot delete the record afterwards, the caller gets a
 * `TokenStoreError` with `itemRemoved: true`: calling `removeItem` again finishes the job.
 *
 * With `unreadable: 'delete'`, a record that can never be read again (its key was dropped, it was
 * tampered with or is malformed) is deleted without calling Plaid, which needs the token.
 */
export async function removeItem(
  context: FacadeContext,
  input: RemoveItemInput,
  callOptions: CallOptions | undefined,
): Promise<RemoveItemResult> {
  checkInput('removeItem input', removeItemInputSchema, input);
  const call = resolveCall(context.options, '/item/products/terminate', callOptions);
  let accessToken: string;
  try {
    ({ accessToken } = await readItem(context, input, call.signal));
  } catch (error) {
    if ((input.unreadable ?? DEFAULT_REMOVE_UNREADABLE) !== 'delete' || !isUnreadable(error)) throw error;
    await storeBound(context, `Deleting the unreadable record of Item ${input.itemId}`, input.itemId, () =>
      context.store.delete({ userId: input.userId, itemId: input.itemId }),
    );
    return { userId: input.userId, itemId: input.itemId, requestId: '' };
  }
  let requestId: string;
  try {
    requestId = (
      await terminateAtPlaid(context, call, accessToken, input.itemId, input.reason ?? DEFAULT_REMOVE_REASON)
    ).request_id;
  } catch (error) {
    if (!isItemGone(error)) throw error;
    requestId = error.requestId ?? '';
  }
  try {
    await storeBound(context, `Deleting the access token of Item ${input.itemId}`, input.itemId, () =>
      context.store.delete({ userId: input.userId, itemId: input.itemId }),
    );
  } catch (error) {
    throw new TokenStoreError(
      `Item ${input.itemId} was removed at Plaid, but its access token could not be deleted from the store; call removeItem again to finish`,
      {
        cause: error,
        itemId: input.itemId,
        itemRemoved: true,
        // retryable (errors/retryable.ts): the same call again finds the Item gone at Plaid and only deletes the record
        redact: (text) => redactSecrets(text, [context.options.secret, accessToken]),
      },
    );
  }
  return { userId: input.userId, itemId: input.itemId, requestId };
}

/** The reason the exchange's clean-up gives Plaid: the Item was never used, and no other code fits. */
export const CLEANUP_REASON: RemoveItemReason = 'OTHER';

/**
 * Ends at Plaid the Item of an access token the exchange cannot keep (the store refused it, or the
 * answer could not be read): once this settles the token is forgotten, so it is the last chance to
 * stop the Item being billed. The same path as `removeItem` (`/item/products/terminate`, Plaid's
 * recommended way, reason `OTHER`; `/item/remove`, also with `OTHER`, where terminate is not
 * available to the client) with one addition: any other definite refusal of terminate (not
 * retryable, not "the Item is gone", e.g. an Item error or a code Plaid adds later) also falls
 * back to `/item/remove`, open to every client, rather than leave the Item orphaned. Never after a
 * transient failure (retried as any call, then thrown). Resolves when the Item is gone, including
 * when Plaid answers it already is (an earlier attempt whose answer was lost removed it).
 */
export async function cleanUpAtPlaid(
  context: FacadeContext,
  call: ResolvedCall,
  accessToken: string,
  itemId: string | undefined,
): Promise<void> {
  try {
    await terminateAtPlaid(context, call, accessToken, itemId, CLEANUP_REASON, true);
  } catch (error) {
    if (!isItemGone(error)) throw error;
  }
}

/**
 * Ends an Item at Plaid: `/item/products/terminate` with `reason`, Plaid's recommended way; when
 * Plaid answers that terminate is not available to this client (`isEndpointUnavailable`: never a
 * transient failure nor an Item-gone answer), `/item/remove`, with the reason when that endpoint
 * knows it. With `cleanup` (the exchange's clean-up, `cleanUpAtPlaid`), both calls run past a
 * closed facade, and any definite refusal of terminate falls back.
 */
export async function terminateAtPlaid(
  context: FacadeContext,
  call: ResolvedCall,
  accessToken: string,
  itemId: string | undefined,
  reason: RemoveItemReason,
  cleanup = false,
): Promise<{ request_id: string }> {
  const request = {
    access_token: accessToken,
    reason_code: reason as ProductsTerminateReasonCode,
  } satisfies ItemProductsTerminateRequest;
  try {
    return await callPlaid(context, call, {
      endpoint: '/item/products/terminate',
      schema: itemProductsTerminateResponseSchema,
      itemId,
      accessToken,
      cleanup,
      request,
    });
  } catch (error) {
    if (!(isEndpointUnavailable(error) || (cleanup && isRefusedForGood(error)))) throw error;
  }
  return removeAtPlaid(context, call, accessToken, itemId, cleanup, removeReasonCodes.has(reason) ? reason : undefined);
}

// Plaid's definite "no" (an answer, not retryable, the Item not gone): for a token about to be
// lost, `/item/remove` is still worth its one call.
function isRefusedForGood(error: unknown): boolean {
  return error instanceof PlaidApiError && !error.retryable && !error.outcomeUnknown && !isItemGone(error);
}

/**
 * Sends `/item/remove` for an access token: the fallback of `terminateAtPlaid`, with `reason` when
 * that endpoint knows it; `cleanup` for the exchange's clean-up (it runs past a closed facade).
 */
export function removeAtPlaid(
  context: FacadeContext,
  call: ResolvedCall,
  accessToken: string,
  itemId: string | undefined,
  cleanup: boolean,
  reason: string | undefined,
): Promise<z.output<typeof itemRemoveResponseSchema>> {
  const request: ItemRemoveRequest = { access_token: accessToken };
  if (reason !== undefined) request.reason_code = reason as NonNullable<ItemRemoveRequest['reason_code']>;
  return callPlaid(context, call, {
    endpoint: '/item/remove',
    schema: itemRemoveResponseSchema,
    itemId,
    accessToken,
    cleanup,
    request,
  });
}
