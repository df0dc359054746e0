import { errorBody } from './errors.js';
import type { FakeWebhookKey, FakeWebhookKeys } from './webhook-keys.js';

/** Options of `fake.webhook`. */
export interface FakeWebhookOptions {
  /** Which key signs it: `'current'` (default, verifies), `'expired'` or `'wrong'` (an impostor's key, same `kid`). */
  key?: FakeWebhookKey;
  /** When it was signed (`iat`). Default: the fake's clock. */
  signedAt?: Date;
}

/** A signed webhook, as Plaid would deliver it. */
export interface FakeWebhook {
  /** The raw body: pretty-printed JSON, as Plaid sends it (so re-serialising it breaks the signature). */
  readonly body: string;
  /** `Content-Type` and `Plaid-Verification`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as an object. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** POSTs it to `url` (loopback in tests) and resolves with the answer's status and text. */
  post(url: string): Promise<{
    /** The HTTP status the receiver answered. */
    status: number;
    /** The answer's body, as text. */
    text: string;
  }>;
}

// Fields a real ITEM webhook of each code carries, so `fake.webhook('ITEM', code, { item_id })` is complete.
function itemDefaults(code: string, now: Date): Record<string, unknown> {
  const inSevenDays = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const { status: _status, ...loginRequired } = errorBody('ITEM_LOGIN_REQUIRED');
  switch (code) {
    case 'ERROR':
      return { error: { ...loginRequired, status: 400 } };
    case 'PENDING_DISCONNECT':
      return { reason: 'INSTITUTION_TOKEN_EXPIRATION', disconnect_time: inSevenDays };
    case 'PENDING_EXPIRATION':
      return { consent_expiration_time: inSevenDays };
    case 'USER_ACCOUNT_REVOKED':
      return { account_id: 'revoked-account' };
    case 'WEBHOOK_UPDATE_ACKNOWLEDGED':
      return { new_webhook_url: 'https://example.com/plaid/webhook', error: null };
    case 'NEW_ACCOUNTS_AVAILABLE':
    case 'USER_PERMISSION_REVOKED':
      return { error: null };
    default:
      return {};
  }
}

/** Builds and signs a webhook body of `type`/`code` with `fields` (snake_case, as Plaid sends them). */
export function buildWebhook(
  keys: FakeWebhookKeys,
  now: Date,
  type: string,
  code: string,
  fields: Record<string, unknown> = {},
  options: FakeWebhookOptions = {},
): FakeWebhook {
  const payload = {
    webhook_type: type,
    webhook_code: code,
    ...(type === 'ITEM' ? itemDefaults(code, now) : {}),
    // Plaid's LINK EVENTS webhook has no `environment` (LinkEventsWebhook).
    ...(type === 'LINK' && code === 'EVENTS' ? {} : { environment: 'sandbox' }),
    ...fields,
  };
  const body = JSON.stringify(payload, null, 2);
  const jwt = keys.sign(body, { key: options.key ?? 'current', signedAt: options.signedAt ?? now });
  const headers = { 'Content-Type': 'application/json', 'Plaid-Verification': jwt };
  return {
    body,
    headers,
    payload,
    async post(url) {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      return { status: response.status, text: await response.text() };
    },
  };
}
