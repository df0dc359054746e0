import type { LinkWebhook } from '../schemas/webhooks.js';
import type { TokenStore } from '../stores/token-store.js';
import type { HandledWebhook, PlaidWebhooks, WebhookRequest } from '../types.js';
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
  /** Completes the Link session of a LINK webhook (exchanging its public tokens once each). */
  onLink?: (event: LinkWebhook) => Promise<Pick<HandledWebhook, 'userId' | 'applied' | 'link'>>;
}

/** Builds `plaid.webhooks` (one key cache per facade). */
export function createWebhooks(context: WebhooksContext): PlaidWebhooks {
  const keys = new KeyCache({
    fetchKey: context.fetchKey,
    now: context.now,
    shared: context.sharedKeys,
    ...(context.fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs: context.fetchTimeoutMs }),
  });
  const verify = async (request: WebhookRequest) => {
    try {
      const event = await verifyWebhook(request, { keys, environment: context.environment, now: context.now });
      context.onVerification?.({ result: 'verified', webhookType: event.webhookType, webhookCode: event.webhookCode });
      return event;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      context.onVerification?.({ result: typeof code === 'string' ? code : 'ERROR' });
      throw error;
    }
  };
  return {
    verify,
    prewarm: (input) => prewarmKeys(keys, context.sharedKeys, input),
    async handle(request) {
      const event = await verify(request);
      if (event.known && event.webhookType === 'LINK' && context.onLink) {
        const done = await context.onLink(event);
        // The public tokens were handed over (or were of no use): they leave with nothing.
        return { ...event, raw: withoutPublicTokens(event.raw), health: undefined, ...done };
      }
      const itemId = event.itemId;
      if (!event.known || itemId === undefined)
        return { ...event, userId: undefined, health: undefined, applied: false };
      return context.locks.run(itemId, async () => {
        const found = await findItem(context.store, itemId);
        if (!found) return { ...event, userId: undefined, health: undefined, applied: false };
        const { item, applied } = await applyEffect(context.store, found, webhookEffect(event));
        return { ...event, userId: item?.userId, health: item && healthOf(item), applied };
      });
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
