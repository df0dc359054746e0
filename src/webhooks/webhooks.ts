import type { LinkWebhook } from '../schemas/webhooks.js';
import type { TokenStore } from '../stores/token-store.js';
import type { HandledWebhook, PlaidWebhooks, WebhookCallOptions, WebhookRequest } from '../types.js';
import { untilAborted } from './abortable.js';
import { applyEffect, findItem, healthOf, type ItemLocks, webhookEffect } from './health.js';
import { type FetchKey, KeyCache } from './key-cache.js';
import { prewarmKeys } from './prewarm.js';
import type { SharedKeys } from './shared-keys.js';
import { verifyWebhook } from './verify.js';

/** What `createWebhooks` needs from the facade. */
export interface WebhooksContext {
  /** Fetches a verification key from Plaid (`/webhook_verification_key/get`). */
  fetchKey: FetchKey;
  /** The facade's environment. */
  environment: string;
  /** Where Items are kept. */
  store: TokenStore;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Serializes health updates per Item; shared with the facade's own health updates. */
  locks: ItemLocks;
  /** The longest one key fetch may take, retries included, in milliseconds. */
  fetchTimeoutMs?: number | undefined;
  /** Keys shared with the other processes of a fleet (Redis), if configured. */
  sharedKeys?: SharedKeys | undefined;
  /** Told each verification's outcome: `'verified'` or the refusal's code (never the body or JWT). */
  onVerification?: (outcome: { result: string; webhookType?: string; webhookCode?: string }) => void;
  /**
   * Completes the Link session of a LINK webhook (exchanging its public tokens once each). `signal`
   * is the caller's: once it aborts no new exchange begins; one that began runs to its end.
   */
  onLink?: (
    event: LinkWebhook,
    signal: AbortSignal | undefined,
  ) => Promise<Pick<HandledWebhook, 'userId' | 'applied' | 'link'>>;
}

/** Builds `plaid.webhooks` (one key cache per facade). */
export function createWebhooks(context: WebhooksContext): PlaidWebhooks {
  const keys = new KeyCache({
    fetchKey: context.fetchKey,
    now: context.now,
    shared: context.sharedKeys,
    ...(context.fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs: context.fetchTimeoutMs }),
  });
  const verify = async (request: WebhookRequest, options?: WebhookCallOptions) => {
    const signal = options?.signal;
    // Aborted already: nothing is read, fetched or published.
    signal?.throwIfAborted();
    try {
      const event = await verifyWebhook(request, { keys, environment: context.environment, now: context.now }, signal);
      context.onVerification?.({ result: 'verified', webhookType: event.webhookType, webhookCode: event.webhookCode });
      return event;
    } catch (error) {
      // The caller stopped waiting: no outcome to publish (the webhook was neither trusted nor refused).
      if (signal?.aborted && error === signal.reason) throw error;
      const code = (error as { code?: unknown } | null)?.code;
      context.onVerification?.({ result: typeof code === 'string' ? code : 'ERROR' });
      throw error;
    }
  };
  return {
    verify,
    prewarm: (input) => prewarmKeys(keys, context.sharedKeys, input),
    async handle(request, options) {
      const signal = options?.signal;
      const event = await verify(request, options);
      if (event.known && event.webhookType === 'LINK' && context.onLink) {
        const done = await untilAborted(context.onLink(event, signal), signal);
        // The public tokens were handed over (or were of no use): they leave with nothing.
        // An update-mode session mends its Item: its health after, as for an ITEM webhook.
        const health = done.link?.updatedItem?.health;
        return { ...event, raw: withoutPublicTokens(event.raw), health, ...done };
      }
      const itemId = event.itemId;
      if (!event.known || itemId === undefined)
        return { ...event, userId: undefined, health: undefined, applied: false };
      signal?.throwIfAborted();
      const update = context.locks.run(itemId, async () => {
        // Aborted while waiting its turn: nothing begun, nothing written (Plaid delivers it again).
        signal?.throwIfAborted();
        // Once begun, the read-then-write runs to its end (each store call bounded) even if the
        // caller stops waiting: an Item is never left half-updated.
        const found = await findItem(context.store, itemId);
        if (!found) return { ...event, userId: undefined, health: undefined, applied: false };
        const { item, applied } = await applyEffect(context.store, found, webhookEffect(event));
        return { ...event, userId: item?.userId, health: item && healthOf(item), applied };
      });
      return untilAborted(update, signal);
    },
  };
}

/** A LINK webhook's body with its public tokens blanked (they are single use, and exchanged by now). */
function withoutPublicTokens(raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = { ...raw };
  if (typeof copy.public_token === 'string') copy.public_token = '[redacted]';
  if (Array.isArray(copy.public_tokens)) copy.public_tokens = copy.public_tokens.map(() => '[redacted]');
  return copy;
}
