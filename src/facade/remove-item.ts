import type { ItemRemoveRequest } from 'plaid';
import { isPlaidFacadeError, redactSecrets, TokenStoreError } from '../errors.js';
import { type CallOptions, checkInput, idSchema, type ResolvedCall, resolveCall } from '../options.js';
import { isItemGone } from '../pipeline/classify.js';
import { itemRemoveResponseSchema } from '../schemas/item-remove.js';
import { z } from '../schemas/zod.js';
import type { RemoveItemInput, RemoveItemResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem, storeBound } from './context.js';

const removeItemInputSchema = z
  .object({ userId: idSchema, itemId: idSchema, unreadable: z.enum(['fail', 'delete']).optional() })
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
 * Removes an Item at Plaid (`/item/remove`), then its record from the store. An Item already gone
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
  const call = resolveCall(context.options, '/item/remove', callOptions);
  let accessToken: string;
  try {
    ({ accessToken } = await readItem(context, input, call.signal));
  } catch (error) {
    if (input.unreadable !== 'delete' || !isUnreadable(error)) throw error;
    await storeBound(context, `Deleting the unreadable record of Item ${input.itemId}`, input.itemId, () =>
      context.store.delete({ userId: input.userId, itemId: input.itemId }),
    );
    return { userId: input.userId, itemId: input.itemId, requestId: '' };
  }
  let requestId: string;
  try {
    requestId = (await removeAtPlaid(context, call, accessToken, input.itemId)).request_id;
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
        // the same call again finds the Item gone at Plaid and only deletes the record
        retryable: true,
        redact: (text) => redactSecrets(text, [context.options.secret, accessToken]),
      },
    );
  }
  return { userId: input.userId, itemId: input.itemId, requestId };
}

/** Sends `/item/remove` for an access token (also the exchange's clean-up of a token it cannot keep). */
export function removeAtPlaid(
  context: FacadeContext,
  call: ResolvedCall,
  accessToken: string,
  itemId: string | undefined,
  cleanup = false,
): Promise<z.output<typeof itemRemoveResponseSchema>> {
  const request = { access_token: accessToken } satisfies ItemRemoveRequest;
  return callPlaid(context, call, {
    endpoint: '/item/remove',
    schema: itemRemoveResponseSchema,
    itemId,
    accessToken,
    cleanup,
    send: (api, transport) => api.itemRemove(request, transport),
  });
}
