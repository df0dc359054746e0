import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlaid, type FakePlaid } from '../../src/testing/index.js';

// The fake's webhook side, on the wire: what a downstream service's tests rely on.
let fake: FakePlaid;
let url: string;
let close: () => Promise<void>;
const post = async (path: string, body: Record<string, unknown>) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'plaid-client-id': 'id', 'plaid-secret': 'secret' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: Plaid-shaped JSON read field by field in assertions
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const linked = async (webhook: string | null = null) => {
  const publicToken = fake.createPublicToken({ webhook });
  const { body } = await post('/item/public_token/exchange', { public_token: publicToken });
  return { accessToken: body.access_token as string, itemId: body.item_id as string };
};

beforeEach(async () => {
  fake = createFakePlaid();
  ({ url, close } = await fake.listen());
});
afterEach(() => close());

describe('fake Plaid webhooks', () => {
  it('webhook() signs a pretty-printed body; the key endpoint serves the current and the expired key', async () => {
    const hook = fake.webhook('ITEM', 'ERROR', { item_id: 'i1' });
    expect(hook.body).toContain('\n  "webhook_code": "ERROR"');
    expect(hook.payload).toMatchObject({
      item_id: 'i1',
      environment: 'sandbox',
      error: { error_code: 'ITEM_LOGIN_REQUIRED' },
    });
    const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).kid;
    const current = await post('/webhook_verification_key/get', {
      key_id: kidOf(hook.headers['Plaid-Verification'] as string),
    });
    expect(current.body.key).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC', use: 'sig', expired_at: null });
    expect(current.body.key).not.toHaveProperty('d');
    const expiredHook = fake.webhook('ITEM', 'ERROR', { item_id: 'i1' }, { key: 'expired' });
    const expired = await post('/webhook_verification_key/get', {
      key_id: kidOf(expiredHook.headers['Plaid-Verification'] as string),
    });
    expect(typeof expired.body.key.expired_at).toBe('number');
    const unknown = await post('/webhook_verification_key/get', { key_id: 'nope' });
    expect(unknown).toMatchObject({ status: 400, body: { error_type: 'INVALID_INPUT' } });
  });

  it('reset_login breaks the Item: balance reads fail with ITEM_LOGIN_REQUIRED, /item/get shows the error', async () => {
    const { accessToken, itemId } = await linked();
    expect((await post('/item/get', { access_token: accessToken })).body.item).toMatchObject({
      item_id: itemId,
      error: null,
    });
    expect(await post('/sandbox/item/reset_login', { access_token: accessToken })).toMatchObject({
      status: 200,
      body: { reset_login: true },
    });
    expect(await post('/accounts/balance/get', { access_token: accessToken })).toMatchObject({
      status: 400,
      body: { error_code: 'ITEM_LOGIN_REQUIRED' },
    });
    expect((await post('/item/get', { access_token: accessToken })).body.item.error).toMatchObject({
      error_code: 'ITEM_LOGIN_REQUIRED',
    });
    fake.setItemError(itemId, null);
    expect((await post('/accounts/balance/get', { access_token: accessToken })).status).toBe(200);
  });

  it('fire_webhook POSTs a signed webhook to the Item’s URL; webhook().post delivers one too', async () => {
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const { accessToken, itemId } = await linked(hookUrl);
      expect(
        await post('/sandbox/item/fire_webhook', { access_token: accessToken, webhook_code: 'NEW_ACCOUNTS_AVAILABLE' }),
      ).toMatchObject({ status: 200, body: { webhook_fired: true } });
      await fake.flushWebhooks();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]?.body as string)).toMatchObject({
        webhook_type: 'ITEM',
        webhook_code: 'NEW_ACCOUNTS_AVAILABLE',
        item_id: itemId,
      });
      expect(typeof received[0]?.headers['plaid-verification']).toBe('string');
      expect(fake.deliveries).toEqual([{ url: hookUrl, body: received[0]?.body, status: 204 }]);
      expect((await post('/item/get', { access_token: accessToken })).body.status.last_webhook).toMatchObject({
        code_sent: 'NEW_ACCOUNTS_AVAILABLE',
      });

      const answer = await fake.webhook('ITEM', 'LOGIN_REPAIRED', { item_id: itemId }).post(hookUrl);
      expect(answer.status).toBe(204);
      expect(received).toHaveLength(2);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('fire_webhook needs a webhook URL and a code it can fire', async () => {
    const { accessToken } = await linked(null);
    expect(
      await post('/sandbox/item/fire_webhook', { access_token: accessToken, webhook_code: 'ERROR' }),
    ).toMatchObject({ status: 400, body: { error_code: 'INVALID_FIELD' } });
    expect(await post('/sandbox/item/fire_webhook', { access_token: accessToken })).toMatchObject({
      status: 400,
      body: { error_code: 'MISSING_FIELDS' },
    });
  });

  it('rotateWebhookKey signs with a new kid from then on', () => {
    const before = fake.webhookKeyId;
    expect(fake.rotateWebhookKey()).not.toBe(before);
    expect(fake.webhookKeyId).not.toBe(before);
  });
});
