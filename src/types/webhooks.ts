/** The inputs and results of `webhooks`: verifying and handling a webhook, and prewarming its key. */
import type { PlaidWebhook } from '../schemas/webhooks.js';
import type { ItemHealth } from '../stores/token-store.js';
import type { CompleteLinkResult } from './linking.js';

/**
 * Request headers as the common servers hand them over: a Fetch `Headers` (Fetch API, Hono, Next),
 * Node's `IncomingHttpHeaders` (Express, Fastify, `node:http`), or any record of names to values.
 */
export type WebhookHeaders =
  | {
      /** A header's value by name, case-insensitively, or null (a Fetch `Headers`). */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/** What `webhooks.verify` and `webhooks.handle` take: the request exactly as it arrived. */
export interface WebhookRequest {
  /**
   * The raw body bytes as received (`express.raw()`, `await request.text()`, a Buffer). A body that
   * was parsed and serialised again never matches the signature: Plaid's bodies are pretty-printed.
   */
  body: string | Uint8Array;
  /** The request headers; `Plaid-Verification` is found whatever its case. */
  headers: WebhookHeaders;
}

/** The optional second argument of `webhooks.verify` and `webhooks.handle`. */
export interface WebhookCallOptions {
  /**
   * Ends the caller's wait, at once, with the signal's reason (nothing is sent when it has already
   * aborted). A verification key fetch other webhooks also wait for goes on for them, and a
   * health write to the store that has begun is allowed to finish (it is bounded by
   * `tokenStoreTimeoutMs`), so nothing is left half-written.
   */
  signal?: AbortSignal | undefined;
}

/** What `webhooks.handle` resolves with: the verified event and what became of its Item. */
export type HandledWebhook = PlaidWebhook & {
  /** Your user id of the Item, when the store holds the Item. */
  userId: string | undefined;
  /** The Item's health after the event, when the store holds the Item (LINK: the Item an update-mode session mended). */
  health: ItemHealth | undefined;
  /**
   * Whether this event changed the stored Item. False for a repeat delivery, for an event older
   * than the stored state, for an Item the store does not hold, and for codes that change nothing.
   * For a LINK webhook: whether it exchanged an Item (false for a redelivery).
   */
  applied: boolean;
  /**
   * LINK `ITEM_ADD_RESULT` and `SESSION_FINISHED`: the session as `handle` completed it (each
   * public token exchanged once); undefined for other webhooks and for a link token the store does
   * not know (its user cannot be told).
   */
  link?: CompleteLinkResult | undefined;
};

/** Verifying and handling Plaid's webhooks: `plaid.webhooks`. */
export interface PlaidWebhooks {
  /**
   * Verifies a webhook (signature, age, body hash, environment) and parses it. Pass the raw body.
   *
   * @throws WebhookVerificationError when it cannot be trusted (see its `code`)
   * @throws PlaidSchemaError when a verified body is not a webhook this library can read
   * @throws the signal's reason when `options.signal` aborts
   */
  verify(request: WebhookRequest, options?: WebhookCallOptions): Promise<PlaidWebhook>;
  /**
   * Verifies a webhook, then records what it says of its Item's health in the token store.
   * Idempotent, and order-safe: an event older than the stored state changes nothing.
   *
   * @throws WebhookVerificationError, PlaidSchemaError as `verify`; TokenStoreError when the store
   *   fails or has no `findByItemId`; the signal's reason when `options.signal` aborts
   */
  handle(request: WebhookRequest, options?: WebhookCallOptions): Promise<HandledWebhook>;
  /**
   * Loads Plaid's webhook verification keys ahead of the first webhook (call it at start-up): the
   * `keyIds` given, and, with `webhooks.keyCache.redis`, the keys the fleet fetched recently.
   * Spends none of the per-minute fetch budget; never rejects for Plaid or Redis failing (each
   * key's `status` says what became of it).
   *
   * @throws InvalidArgumentError when `keyIds` is not a list of at most 20 key ids
   */
  prewarm(input?: WebhookKeysPrewarmInput): Promise<PrewarmedWebhookKey[]>;
}

/** What `webhooks.prewarm` loads. */
export interface WebhookKeysPrewarmInput {
  /** Key ids (`kid`) to load from Plaid now, e.g. the ones your service saw last. At most 20. */
  keyIds?: readonly string[] | undefined;
}

/** One key `webhooks.prewarm` looked at. */
export interface PrewarmedWebhookKey {
  /** The key id (`kid`). */
  keyId: string;
  /**
   * `'ready'`: held, webhooks it signs verify without a fetch; `'expired'`: Plaid says it has
   * expired; `'unknown'`: Plaid knows no such key; `'unavailable'`: Plaid could not be asked now.
   */
  status: 'ready' | 'expired' | 'unknown' | 'unavailable';
}
