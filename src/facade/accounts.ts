import type { AccountsGetRequest } from 'plaid';
import { PlaidSchemaError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import { accountsGetResponseSchema } from '../schemas/accounts-get.js';
import { z } from '../schemas/zod.js';
import type { AccountsInput, AccountsResult } from '../types.js';
import { callPlaid, type FacadeContext, readItem } from './internal/context.js';

const accountsInputSchema = z
  .object({
    userId: nonBlank,
    itemId: nonBlank,
    accountIds: z.array(nonBlank).min(1, 'must list at least one account (omit it for all)').optional(),
  })
  .strict();

/**
 * Reads an Item's accounts with the balances Plaid last cached (`/accounts/get`): free, never a
 * live read from the bank (`source: 'plaid-cache'`). Right after linking and for dashboards; wrong
 * for a funds check, which needs `getBalances`.
 */
export async function getAccounts(
  context: FacadeContext,
  input: AccountsInput,
  callOptions: CallOptions | undefined,
): Promise<AccountsResult> {
  checkInput('getAccounts input', accountsInputSchema, input);
  const call = resolveCall(context.options, '/accounts/get', callOptions);
  const { accessToken } = await readItem(context, input, call.signal);
  const body = await fetchAccounts(context, call, accessToken, input.itemId, input.accountIds);
  return {
    userId: input.userId,
    itemId: input.itemId,
    requestId: body.request_id,
    fetchedAt: new Date(),
    accounts: body.accounts,
    source: 'plaid-cache',
  };
}

/** One `/accounts/get` call, its answer checked to be about `itemId`. Also used right after an exchange. */
export async function fetchAccounts(
  context: FacadeContext,
  call: ReturnType<typeof resolveCall>,
  accessToken: string,
  itemId: string,
  accountIds?: string[] | undefined,
) {
  const request = {
    access_token: accessToken,
    ...(accountIds ? { options: { account_ids: accountIds } } : {}),
  } satisfies AccountsGetRequest;
  const body = await callPlaid(context, call, {
    endpoint: '/accounts/get',
    schema: accountsGetResponseSchema,
    itemId,
    accessToken,
    request,
  });
  if (body.item.item_id !== itemId) {
    throw new PlaidSchemaError(
      '/accounts/get',
      [{ path: ['item', 'item_id'], message: `expected the Item ${itemId}, got another` }],
      body.request_id,
    );
  }
  return body;
}
