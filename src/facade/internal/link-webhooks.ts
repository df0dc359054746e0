import { DuplicateItemError } from '../../errors.js';
import type { LinkSessionItemAddResult, LinkTokenGetResponse } from '../../schemas/link-token-get.js';
import { publicTokensOf } from '../../schemas/link-webhooks.js';
import type { LinkWebhook } from '../../schemas/webhooks.js';
import type { CompletedLinkItem, CompleteLinkResult, HandledWebhook } from '../../types.js';
import { metadataOf, readLinkToken, statusOf } from '../complete-link.js';
import { userIdOfPlaidUser } from '../users.js';
import type { FacadeContext } from './context.js';
import { exchangeOnce } from './exchange-once.js';
import { findLinkSession } from './link-sessions.js';
import { mendUpdatedItem } from './link-update.js';
import type { UncertainExchanges } from './uncertain-exchanges.js';

/**
 * What `webhooks.handle` does with a LINK webhook: `ITEM_ADD_RESULT` and `SESSION_FINISHED`
 * (SUCCESS) complete the session: each public token of the webhook, and of the session's results
 * at `/link/token/get` (which also give the institution and accounts), is exchanged once. A
 * redelivery, or a token the browser or `completeLink` already delivered, exchanges nothing. An
 * update-mode session exchanges nothing either: it mends its Item's health (`LOGIN_REPAIRED`'s way).
 * `EVENTS` and an EXITED session change nothing.
 */
export async function handleLinkWebhook(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  event: LinkWebhook,
  signal?: AbortSignal | undefined,
): Promise<Pick<HandledWebhook, 'userId' | 'applied' | 'link'>> {
  const session = await findLinkSession(context, event.linkToken, 'LINK webhooks');
  const plaidUserId = 'plaidUserId' in event ? event.plaidUserId : undefined;
  const userId =
    session?.userId ?? (plaidUserId !== undefined ? await userIdOfPlaidUser(context, plaidUserId) : undefined);
  if (event.webhookCode === 'EVENTS' || userId === undefined) return { userId, applied: false, link: undefined };
  if (event.webhookCode === 'SESSION_FINISHED' && event.status === 'EXITED') {
    return { userId, applied: false, link: { userId, status: 'exited', items: [] } };
  }
  if (session?.itemId !== undefined) {
    // Update mode: nothing to exchange (a public token, if any, opens the same Item); the Item is mended.
    const key = { userId: session.userId, itemId: session.itemId };
    const updatedItem = await mendUpdatedItem(context, key, event.sentAt, signal);
    const link: CompleteLinkResult = {
      userId,
      status: 'completed',
      items: [],
      ...(updatedItem ? { updatedItem } : {}),
    };
    return { userId, applied: updatedItem?.applied ?? false, link };
  }
  const tokens = publicTokensOf(event.raw);
  // The session's results give each Item's institution and accounts (the duplicate guard needs them).
  let body: LinkTokenGetResponse | undefined;
  try {
    body = await readLinkToken(context, event.linkToken, { timeoutMs: 4_000, signal });
  } catch {
    body = undefined; // the webhook's tokens are enough to exchange; the accounts come from /accounts/get
  }
  const results = new Map<string, LinkSessionItemAddResult>();
  for (const linked of body?.link_sessions ?? []) {
    for (const result of linked.results?.item_add_results ?? []) results.set(result.public_token, result);
  }
  const items: CompletedLinkItem[] = [];
  // As in completeLink: every token is tried, then the first failure is thrown (Plaid redelivers).
  let failure: { error: unknown } | undefined;
  for (const publicToken of new Set([...tokens, ...results.keys()])) {
    // The caller stopped waiting: no new exchange begins (Plaid redelivers the webhook for the rest).
    if (signal?.aborted) {
      failure ??= { error: signal.reason };
      break;
    }
    const result = results.get(publicToken);
    const institutionId = result?.institution?.institution_id ?? null;
    try {
      const exchanged = await exchangeOnce(
        context,
        uncertain,
        { userId, publicToken, ...(result ? { metadata: metadataOf(result) } : {}) },
        // Not the caller's signal: an exchange that began runs to its end (the Item stored, the
        // claim completed), as a public token is single use; the caller only stops waiting.
        undefined,
      );
      items.push({ itemId: exchanged.itemId, institutionId, newlyExchanged: exchanged.newlyExchanged });
    } catch (error) {
      if (error instanceof DuplicateItemError) {
        items.push({ itemId: error.existingItemId, institutionId, newlyExchanged: false });
      } else {
        failure ??= { error };
      }
    }
  }
  if (failure) throw failure.error;
  const status: CompleteLinkResult['status'] =
    items.length > 0
      ? 'completed'
      : body
        ? statusOf(body, 0)
        : event.webhookCode === 'SESSION_FINISHED'
          ? 'exited'
          : 'pending';
  return { userId, applied: items.some((item) => item.newlyExchanged), link: { userId, status, items } };
}
