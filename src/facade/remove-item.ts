import type { ItemRemoveRequest } from 'plaid';
import { redactSecrets, TokenStoreError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, type ResolvedCall, resolveCall } from '../options.js';
import { isItemGone } from '../pipeline/classify.js';
import { itemRemoveResponseSchema } from '../schemas/item-remove.js';
import { z } from '../schemas/zod.js';
import type { RemoveItemInput, RemoveItemResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem } from './context.js';

const removeItemInputSchema = z.object({ userId: nonBlank, itemId: nonBlank }).strict();

/**
 * Removes an Item at Plaid (`/item/remove`), then its record from the store. An Item already gone
 * at Plaid (removed earlier, or its token revoked) is finished locally, so a retried removal
 * converges. If the store cannot delete the record afterwards, the caller gets a
 * `TokenStoreError` with `itemRemoved: true`: calling `removeItem` again finishes the job.
 */
export async function removeItem(
  context: FacadeContext,
  input: RemoveItemInput,
  callOptions: CallOptions | undefined,
): Promise<RemoveItemResult> {
  checkInput('removeItem input', removeItemInputSchema, input);
  const call = resolveCall(context.options, '/item/remove', callOptions);
  const { accessToken } = await readItem(context.store, input);
  let requestId: string;
  try {
    requestId = (await removeAtPlaid(context, call, accessToken, input.itemId)).request_id;
  } catch (error) {
    if (!isItemGone(error)) throw error;
    requestId = error.requestId ?? '';
  }
  try {
    await context.store.delete({ userId: input.userId, itemId: input.itemId });
  } catch (error) {
    throw new TokenStoreError(
      `Item ${input.itemId} was removed at Plaid, but its access token could not be deleted from the store; call removeItem again to finish`,
      {
        cause: error,
        itemId: input.itemId,
        itemRemoved: true,
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
): Promise<z.output<typeof itemRemoveResponseSchema>> {
  const request = { access_token: accessToken } satisfies ItemRemoveRequest;
  return callPlaid(context, call, {
    endpoint: '/item/remove',
    schema: itemRemoveResponseSchema,
    itemId,
    accessToken,
    send: (api, transport) => api.itemRemove(request, transport),
  });
}
