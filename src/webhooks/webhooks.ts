import type { ItemHealth, TokenStore } from '../stores/token-store.js';
import { applyEffect, findItem, healthOf, type ItemLocks, webhookEffect } from './health.js';
import { type FetchKey, KeyCache } from './key-cache.js';
import type { PlaidWebhook } from './parse.js';
import { verifyWebhook, type WebhookRequest } from './verify.js';

/** What `webhooks.handle` resolves with: the verified event and what became of its Item. */
export type HandledWebhook = PlaidWebhook & {
  /** Your user id of the Item, when the store holds the Item. */
  userId: string | undefined;
  /** The Item's health after the event, when the store holds the Item. */
  health: ItemHealth | undefined;
  /**
   * Whether this event changed the stored Item. False for a repeat delivery, for an event older
   * than the stored state, for an Item the store does not hold, and for codes that change nothing.
   */
  applied: boolean;
};

/** Verifying and handling Plaid's webhooks: `plaid.webhooks`. */
export interface PlaidWebhooks {
  /**
   * Verifies a webhook (signature, age, body hash, environment) and parses it. Pass the raw body.
   *
   * @throws WebhookVerificationError when it cannot be trusted (see its `code`)
   * @throws PlaidSchemaError when a verified body is not a webhook this library can read
   */
  verify(request: WebhookRequest): Promise<PlaidWebhook>;
  /**
   * Verifies a webhook, then records what it says of its Item's health in the token store.
   * Idempotent, and order-safe: an event older than the stored state changes nothing.
   *
   * @throws WebhookVerificationError, PlaidSchemaError as `verify`; TokenStoreError when the store
   *   fails or has no `findByItemId`
   */
  handle(request: WebhookRequest): Promise<HandledWebhook>;
}

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
}

/** Builds `plaid.webhooks` (one key cache per facade). */
export function createWebhooks(context: WebhooksContext): PlaidWebhooks {
  const keys = new KeyCache({ fetchKey: context.fetchKey, now: context.now });
  const verify = (request: WebhookRequest) =>
    verifyWebhook(request, { keys, environment: context.environment, now: context.now });
  return {
    verify,
    async handle(request) {
      const event = await verify(request);
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
