import type { UserCreateRequest } from 'plaid';
import { type CallOptions, checkInput, idSchema, resolveCall } from '../options.js';
import { userCreateResponseSchema } from '../schemas/user-create.js';
import { z } from '../schemas/zod.js';
import type { EnsureUserInput, EnsureUserResult } from '../types.js';
import { callPlaid, type FacadeContext } from './internal/context.js';
import { linkRecords, tokenDigest } from './internal/link-records.js';

// Plaid's client_user_id is 1-128 characters.
const ensureUserInputSchema = z
  .object({ userId: idSchema.refine((id) => id.length <= 128, 'must be at most 128 characters for Plaid users') })
  .strict();

/** The link-record key of a user's Plaid `user_id` (a digest: keys are short ASCII). */
const userKey = (userId: string) => `user:${tokenDigest(userId)}`;
/** The link-record key from Plaid's `user_id` back to the user (webhooks carry Plaid's id). */
const plaidUserKey = (plaidUserId: string) => `plaid-user:${tokenDigest(plaidUserId)}`;

/** Plaid's `user_id` for `userId` as the store knows it, if it does. */
export async function knownPlaidUserId(context: FacadeContext, userId: string): Promise<string | undefined> {
  const record = await linkRecords(context, 'users.ensure').get(userKey(userId));
  const value = record && (JSON.parse(record.value) as { userId?: unknown; plaidUserId?: unknown });
  return value?.userId === userId && typeof value.plaidUserId === 'string' ? value.plaidUserId : undefined;
}

/** Your user id for Plaid's `user_id` (as a webhook carries it), when `users.ensure` recorded it. */
export async function userIdOfPlaidUser(context: FacadeContext, plaidUserId: string): Promise<string | undefined> {
  const records = linkRecords(context, undefined);
  if (!records.shared) return undefined;
  const record = await records.get(plaidUserKey(plaidUserId));
  const value = record && (JSON.parse(record.value) as { userId?: unknown; plaidUserId?: unknown });
  return value?.plaidUserId === plaidUserId && typeof value.userId === 'string' ? value.userId : undefined;
}

/**
 * `users.ensure`: `/user/create` once per user (Plaid answers 201 for a new user, 200 with the same
 * `user_id` for an existing `client_user_id`, so concurrent calls agree), Plaid's `user_id` kept in
 * the store both ways. The legacy `user_token` some integrations get is never kept or returned.
 */
export async function ensureUser(
  context: FacadeContext,
  input: EnsureUserInput,
  callOptions: CallOptions | undefined,
): Promise<EnsureUserResult> {
  checkInput('users.ensure input', ensureUserInputSchema, input);
  const known = await knownPlaidUserId(context, input.userId);
  if (known !== undefined) return { userId: input.userId, plaidUserId: known, created: false };
  const call = resolveCall(context.options, '/user/create', callOptions);
  const request = { client_user_id: input.userId } satisfies UserCreateRequest;
  const body = await callPlaid(context, call, {
    endpoint: '/user/create',
    schema: userCreateResponseSchema,
    request,
  });
  const value = JSON.stringify({ userId: input.userId, plaidUserId: body.user_id });
  const records = linkRecords(context, 'users.ensure');
  await records.set({ key: userKey(input.userId), value });
  await records.set({ key: plaidUserKey(body.user_id), value });
  return { userId: input.userId, plaidUserId: body.user_id, created: true };
}
