import type { WebhookVerificationKeyGetRequest } from 'plaid';
import { PlaidApiError } from '../errors.js';
import { publishWebhookVerification } from '../observability/channels.js';
import { resolveCall } from '../options.js';
import { webhookVerificationKeyGetResponseSchema } from '../schemas/webhooks.js';
import type { PlaidWebhooks } from '../types.js';
import { type FetchedKey, KEY_REFRESH_AFTER_MS } from '../webhooks/key-cache.js';
import { RedisSharedKeys } from '../webhooks/shared-keys.js';
import { createWebhooks } from '../webhooks/webhooks.js';
import { callPlaid, type FacadeContext } from './internal/context.js';
import { boundedStore } from './internal/item-health.js';
import { handleLinkWebhook } from './internal/link-webhooks.js';
import type { UncertainExchanges } from './internal/uncertain-exchanges.js';

// A receiver has 10 s to answer Plaid: the key fetch gets a short timeout and one quick retry.
const keyCall = { timeoutMs: 4_000, retry: { retries: 1, minDelayMs: 100, maxDelayMs: 500 } };

/** `plaid.webhooks`: verification with keys fetched through the facade's pipeline, health kept in its store. */
export function facadeWebhooks(context: FacadeContext, uncertain: UncertainExchanges): PlaidWebhooks {
  const { fetchTimeoutMs, redis } = context.options.webhookKeys;
  const now = () => Date.now();
  return createWebhooks({
    fetchTimeoutMs,
    sharedKeys:
      redis &&
      new RedisSharedKeys({
        ...redis,
        secret: context.options.secret,
        now,
        currentTtlMs: KEY_REFRESH_AFTER_MS,
      }),
    environment: context.options.environment,
    store: boundedStore(context),
    now,
    locks: context.locks,
    fetchKey: (kid, signal) => fetchKey(context, kid, signal),
    // One message per verification on the plaid-facade:webhook-verification channel.
    onVerification: publishWebhookVerification,
    onLink: (event, signal) => handleLinkWebhook(context, uncertain, event, signal),
  });
}

async function fetchKey(context: FacadeContext, kid: string, signal: AbortSignal): Promise<FetchedKey | undefined> {
  const request = { key_id: kid } satisfies WebhookVerificationKeyGetRequest;
  try {
    const body = await callPlaid(
      context,
      resolveCall(context.options, '/webhook_verification_key/get', { ...keyCall, signal }),
      {
        endpoint: '/webhook_verification_key/get',
        schema: webhookVerificationKeyGetResponseSchema,
        request,
      },
    );
    const { kty, crv, x, y, alg, use } = body.key;
    return { jwk: { kty, crv, x, y, alg, use, kid: body.key.kid }, expiredAt: body.key.expired_at };
  } catch (error) {
    // Plaid refusing the key id itself (not a transient failure) means there is no such key.
    if (error instanceof PlaidApiError && ['INVALID_INPUT', 'INVALID_REQUEST'].includes(error.errorType)) {
      return undefined;
    }
    throw error;
  }
}
