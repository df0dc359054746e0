import type { AccountsBalanceGetRequest } from 'plaid';
import { PlaidSchemaError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import { accountsBalanceGetResponseSchema } from '../schemas/accounts-balance-get.js';
import { z } from '../schemas/zod.js';
import type { BalancesInput, BalancesResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem } from './context.js';

const balancesInputSchema = z
  .object({
    userId: nonBlank,
    itemId: nonBlank,
    accountIds: z.array(nonBlank).min(1, 'must list at least one account (omit it for all)').optional(),
    minLastUpdated: z
      .date()
      .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date')
      .optional(),
  })
  .strict();

/** Reads an Item's real-time balances (`/accounts/balance/get`), with the access token from the store. */
export async function getBalances(
  context: FacadeContext,
  input: BalancesInput,
  callOptions: CallOptions | undefined,
): Promise<BalancesResult> {
  checkInput('getBalances input', balancesInputSchema, input);
  const call = resolveCall(context.options, '/accounts/balance/get', callOptions);
  const { accessToken } = await readItem(context.store, input);
  const options = {
    ...(input.accountIds ? { account_ids: input.accountIds } : {}),
    ...(input.minLastUpdated ? { min_last_updated_datetime: input.minLastUpdated.toISOString() } : {}),
  };
  const request = {
    access_token: accessToken,
    ...(input.accountIds || input.minLastUpdated ? { options } : {}),
  } satisfies AccountsBalanceGetRequest;
  const body = await callPlaid(context, call, {
    endpoint: '/accounts/balance/get',
    schema: accountsBalanceGetResponseSchema,
    itemId: input.itemId,
    accessToken,
    send: (api, transport) => api.accountsBalanceGet(request, transport),
  });
  if (body.item.item_id !== input.itemId) {
    // The token answered for another Item: returning its balances would mix up accounts.
    throw new PlaidSchemaError(
      '/accounts/balance/get',
      [{ path: ['item', 'item_id'], message: `expected the Item ${input.itemId}, got another` }],
      body.request_id,
    );
  }
  return {
    userId: input.userId,
    itemId: input.itemId,
    requestId: body.request_id,
    fetchedAt: new Date(),
    accounts: body.accounts,
  };
}
