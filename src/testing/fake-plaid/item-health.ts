import { errorBody } from './errors.js';
import type { FakePlaidState } from './state.js';
import { buildWebhook, type FakeWebhook } from './webhooks.js';

/** Endpoints an Item in an error state still answers (as at Plaid: reading the Item, removing it, the sandbox tools). */
const allowedWhileBroken = new Set([
  '/item/get',
  '/item/remove',
  '/item/products/terminate',
  '/link/token/create',
  '/sandbox/item/fire_webhook',
  '/sandbox/item/reset_login',
]);

/** The error code an Item is stuck in, to answer instead of `endpoint`'s result; `undefined` when it answers normally. */
export function itemErrorFor(
  state: FakePlaidState,
  endpoint: string,
  accessToken: string | undefined,
): string | undefined {
  if (accessToken === undefined || allowedWhileBroken.has(endpoint)) return undefined;
  const item = state.itemByAccessToken(accessToken);
  return item ? state.itemErrors.get(item.itemId) : undefined;
}

/** The Item's `error` as `/item/get` shows it: a Plaid error body, or null. */
export function itemErrorBody(state: FakePlaidState, itemId: string): Record<string, unknown> | null {
  const code = state.itemErrors.get(itemId);
  return code ? { ...errorBody(code) } : null;
}

/**
 * Signs `type`/`code` for an Item and POSTs it to `url` in the background, as Plaid does; the
 * delivery is tracked so `fake.flushWebhooks()` can wait for it. A failed delivery is recorded, not thrown.
 */
export function deliver(state: FakePlaidState, url: string, webhook: FakeWebhook): void {
  const delivery = webhook
    .post(url)
    .then((answer) => state.deliveries.push({ url, body: webhook.body, status: answer.status }))
    .catch(() => state.deliveries.push({ url, body: webhook.body, status: undefined }))
    .finally(() => state.pendingDeliveries.delete(delivery));
  state.pendingDeliveries.add(delivery);
}

/** A webhook for an Item, signed with the fake's current key at the fake's time. */
export function itemWebhook(
  state: FakePlaidState,
  type: string,
  code: string,
  fields: Record<string, unknown>,
): FakeWebhook {
  return buildWebhook(state.webhookKeys, state.now(), type, code, fields);
}
