/**
 * The options of `plaid.webhooks` (`PlaidFacadeOptions.webhooks`): how Plaid's webhook
 * verification keys are fetched and kept, and their resolved shape. Re-exported by `options.ts`.
 */

/** Options of `plaid.webhooks`. */
export interface WebhooksOptions {
  /** How Plaid's webhook verification keys are fetched and kept. */
  keyCache?: WebhookKeyCacheOptions | undefined;
}

/** How Plaid's webhook verification keys (`/webhook_verification_key/get`) are fetched and kept. */
export interface WebhookKeyCacheOptions {
  /**
   * The longest one key fetch may hold a webhook, retries included, in milliseconds; a fetch still
   * unanswered then is abandoned and the webhook refused with `WEBHOOK_KEY_UNAVAILABLE` (retryable:
   * answer 5xx and Plaid delivers it again). Default 8000: Plaid gives a receiver 10 s.
   */
  fetchTimeoutMs?: number | undefined;
  /**
   * Share the keys between processes through Redis, so that a fleet fetches each new key id once
   * (and each made-up one once). A Redis that fails or does not answer costs a fetch, never a webhook.
   */
  redis?: WebhookKeyRedisOptions | undefined;
}

/**
 * The Redis commands the shared key cache uses. An ioredis 5/6 `Redis` or `Cluster` instance fits
 * (this package does not load ioredis itself).
 */
export interface WebhookKeyRedisClient {
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttl` and `SET key value PX ttl NX`. */
  set(key: string, value: string, mode: 'PX', ttlMs: number, condition?: 'NX'): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
}

/**
 * Where webhook verification keys are shared.
 * @inline
 */
export interface WebhookKeyRedisOptions {
  /** An ioredis `Redis` or `Cluster` client (`get`, `set` and `del` are used). Never closed by the facade. */
  client: WebhookKeyRedisClient;
  /** Prefix of the Redis keys (`<prefix>webhook-key:<kid>`). Default `'plaid-facade:'`. */
  prefix?: string | undefined;
  /** The bound of each Redis call, in milliseconds; past it the call counts as a miss. Default 250. */
  timeoutMs?: number | undefined;
}

/** `webhooks.keyCache` with every default filled in. */
export interface ResolvedWebhookKeys {
  fetchTimeoutMs: number;
  redis: { client: WebhookKeyRedisClient; prefix: string; timeoutMs: number } | undefined;
}
