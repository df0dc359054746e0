import type { LinkTokenGetRequest } from 'plaid';
import { DuplicateItemError, InvalidArgumentError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import type { LinkSuccessMetadata } from '../schemas/link-metadata.js';
import {
  type LinkSessionItemAddResult,
  type LinkTokenGetResponse,
  linkTokenGetResponseSchema,
} from '../schemas/link-token-get.js';
import { z } from '../schemas/zod.js';
import type { CompletedLinkItem, CompleteLinkInput, CompleteLinkResult } from '../types.js';
import { callPlaid, type FacadeContext } from './internal/context.js';
import { exchangeOnce } from './internal/exchange-once.js';
import { findLinkSession } from './internal/link-sessions.js';
import { mendUpdatedItem, updateStatusOf } from './internal/link-update.js';
import type { UncertainExchanges } from './internal/uncertain-exchanges.js';

const completeLinkInputSchema = z.object({ linkToken: nonBlank }).strict();

/**
 * `completeLink`: reads the link token's sessions (`/link/token/get`) and exchanges, once each,
 * every public token of `results.item_add_results[]`, with the institution and accounts as Link's
 * metadata (so the duplicate guard and the stored accounts work as with `onSuccess`). For an
 * update-mode link token it exchanges nothing: a completed session mends the Item's health.
 */
export async function completeLink(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  input: CompleteLinkInput,
  callOptions: CallOptions | undefined,
): Promise<CompleteLinkResult> {
  checkInput('completeLink input', completeLinkInputSchema, input);
  const session = await findLinkSession(context, input.linkToken, 'completeLink');
  if (!session) {
    throw new InvalidArgumentError('completeLink input', [
      {
        path: ['linkToken'],
        message:
          'is not a link token this facade (or one sharing its token store) created with linkToken, or its record expired (six hours after the token)',
      },
    ]);
  }
  const body = await readLinkToken(context, input.linkToken, callOptions);
  if (session.itemId !== undefined) {
    // Update mode: the Item exists; a public token Link may report opens that same Item and is not exchanged.
    const { status, finishedAt } = updateStatusOf(body);
    if (status !== 'completed') return { userId: session.userId, status, items: [] };
    const key = { userId: session.userId, itemId: session.itemId };
    const updatedItem = await mendUpdatedItem(context, key, finishedAt ?? new Date(), callOptions?.signal);
    return { userId: session.userId, status, items: [], ...(updatedItem ? { updatedItem } : {}) };
  }
  const results = body.link_sessions?.flatMap((linked) => linked.results?.item_add_results ?? []) ?? [];
  const status = statusOf(body, results.length);
  const items: CompletedLinkItem[] = [];
  // One token that fails does not leave the session's other Items unexchanged: each is tried, then
  // the first failure is thrown. Exchanges are once per token, so calling again finishes the rest.
  let failure: { error: unknown } | undefined;
  for (const result of results) {
    try {
      items.push(await exchangeResult(context, uncertain, session.userId, result, callOptions));
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
  return { userId: session.userId, status, items };
}

/** `/link/token/get` for a link token. */
export function readLinkToken(
  context: FacadeContext,
  linkToken: string,
  callOptions: CallOptions | undefined,
): Promise<LinkTokenGetResponse> {
  const request = { link_token: linkToken } satisfies LinkTokenGetRequest;
  return callPlaid(context, resolveCall(context.options, '/link/token/get', callOptions), {
    endpoint: '/link/token/get',
    schema: linkTokenGetResponseSchema,
    request,
  });
}

/** The session's status from `/link/token/get` (see `CompleteLinkResult.status`). */
export function statusOf(body: LinkTokenGetResponse, resultCount: number): CompleteLinkResult['status'] {
  const sessions = body.link_sessions ?? [];
  if (resultCount > 0) return 'completed';
  // No session reported: embedded Link without Link events enabled, or results past their six hours.
  if (sessions.length === 0) return 'unavailable';
  if (sessions.some((linked) => linked.finished_at === undefined || linked.finished_at === null)) return 'pending';
  return 'exited';
}

async function exchangeResult(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  userId: string,
  result: LinkSessionItemAddResult,
  callOptions: CallOptions | undefined,
): Promise<CompletedLinkItem> {
  const institutionId = result.institution?.institution_id ?? null;
  try {
    const exchanged = await exchangeOnce(
      context,
      uncertain,
      { userId, publicToken: result.public_token, metadata: metadataOf(result) },
      callOptions,
    );
    return { itemId: exchanged.itemId, institutionId, newlyExchanged: exchanged.newlyExchanged };
  } catch (error) {
    // The user already has this Item: that one is theirs, and nothing was exchanged or billed.
    if (error instanceof DuplicateItemError)
      return { itemId: error.existingItemId, institutionId, newlyExchanged: false };
    throw error;
  }
}

/** Link's `onSuccess` metadata, from a session's item-add result. */
export function metadataOf(result: LinkSessionItemAddResult): LinkSuccessMetadata {
  const institution = result.institution;
  return {
    institution:
      institution?.institution_id !== undefined
        ? {
            institution_id: institution.institution_id,
            ...(institution.name !== undefined ? { name: institution.name } : {}),
          }
        : null,
    accounts: result.accounts.flatMap((account) =>
      account.id === undefined || account.id === ''
        ? []
        : [
            {
              id: account.id,
              name: account.name ?? '',
              mask: account.mask ?? null,
              ...(account.type !== undefined ? { type: account.type } : {}),
              ...(account.subtype !== undefined ? { subtype: account.subtype } : {}),
            },
          ],
    ),
  };
}
