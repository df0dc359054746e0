import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaidSchemaError, WebhookVerificationError } from '../../src/index.js';
import { b64, hmacJwt, publicJwk, START, type WebhookSetup, webhookSetup } from '../support/webhook-setup.js';

let s: WebhookSetup;
beforeEach(async () => {
  s = await webhookSetup();
});
afterEach(() => s.close());

// The rejection, checked for its code and for never quoting the JWT or the body.
async function rejection(request: { body: unknown; headers: unknown }): Promise<WebhookVerificationError> {
  const error = await s.plaid.webhooks.verify(request as never).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  const jwt = Object.entries((request.headers ?? {}) as Record<string, string>).find(
    ([name]) => name.toLowerCase() === 'plaid-verification',
  )?.[1];
  const text = [String(error), inspect(error), JSON.stringify(error)].join('\n');
  if (jwt) for (const part of jwt.split('.').filter((p) => p.length > 8)) expect(text).not.toContain(part);
  if (typeof request.body === 'string') expect(text).not.toContain(request.body.slice(0, 40));
  return error as WebhookVerificationError;
}

const item = { item_id: 'item-abc' };

describe('webhooks.verify accepts what Plaid signs', () => {
  it('a signed ITEM ERROR webhook: typed, with when it was signed and the raw body', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', { ...item, new_field: 1 });
    const event = await s.plaid.webhooks.verify(hook);
    expect(event).toMatchObject({
      known: true,
      webhookType: 'ITEM',
      webhookCode: 'ERROR',
      itemId: 'item-abc',
      environment: 'sandbox',
      error: { errorType: 'ITEM_ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' },
      sentAt: new Date(Math.floor(START / 1000) * 1000),
    });
    expect(event.raw.new_field).toBe(1);
  });

  it('finds the header whatever its case, in a record or a Fetch Headers, and takes a Buffer body', async () => {
    const hook = s.fake.webhook('ITEM', 'LOGIN_REPAIRED', item);
    const jwt = hook.headers['Plaid-Verification'] as string;
    await expect(
      s.plaid.webhooks.verify({ body: Buffer.from(hook.body), headers: { 'plaid-verification': jwt } }),
    ).resolves.toMatchObject({ webhookCode: 'LOGIN_REPAIRED' });
    await expect(
      s.plaid.webhooks.verify({
        body: new TextEncoder().encode(hook.body),
        headers: new Headers({ 'PLAID-VERIFICATION': jwt }),
      }),
    ).resolves.toMatchObject({ webhookCode: 'LOGIN_REPAIRED' });
  });

  it('types every ITEM code it knows and passes others through with raw', async () => {
    const codes = [
      'PENDING_DISCONNECT',
      'PENDING_EXPIRATION',
      'USER_PERMISSION_REVOKED',
      'USER_ACCOUNT_REVOKED',
      'NEW_ACCOUNTS_AVAILABLE',
      'WEBHOOK_UPDATE_ACKNOWLEDGED',
    ];
    for (const code of codes) {
      const event = await s.plaid.webhooks.verify(s.fake.webhook('ITEM', code, item));
      expect(event).toMatchObject({ known: true, webhookCode: code, itemId: 'item-abc' });
    }
    const disconnect = await s.plaid.webhooks.verify(
      s.fake.webhook('ITEM', 'PENDING_DISCONNECT', { ...item, disconnect_time: '2026-01-22T12:00:00Z' }),
    );
    expect(disconnect).toMatchObject({
      reason: 'INSTITUTION_TOKEN_EXPIRATION',
      disconnectAt: new Date('2026-01-22T12:00:00Z'),
    });
    const other = await s.plaid.webhooks.verify(s.fake.webhook('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', item));
    expect(other).toMatchObject({
      known: false,
      webhookType: 'TRANSACTIONS',
      webhookCode: 'SYNC_UPDATES_AVAILABLE',
      itemId: 'item-abc',
    });
    const newCode = await s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'SOMETHING_NEW', item));
    expect(newCode).toMatchObject({ known: false, webhookCode: 'SOMETHING_NEW' });
  });

  it('a verified ITEM body that breaks its schema is a PlaidSchemaError, not a silent pass', async () => {
    const error = await s.plaid.webhooks
      .verify(s.fake.webhook('ITEM', 'PENDING_DISCONNECT', { ...item, disconnect_time: 'soon' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidSchemaError);
  });

  it('a signature exactly five minutes old still verifies', async () => {
    const hook = s.fake.webhook('ITEM', 'LOGIN_REPAIRED', item);
    s.clock.now = Math.floor(START / 1000) * 1000 + 5 * 60_000;
    await expect(s.plaid.webhooks.verify(hook)).resolves.toMatchObject({ webhookCode: 'LOGIN_REPAIRED' });
  });
});

describe('webhooks.verify rejects, with the code for the cause', () => {
  it('WEBHOOK_SIGNATURE_MISSING: no Plaid-Verification header (or an empty one)', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    expect((await rejection({ body: hook.body, headers: { 'content-type': 'application/json' } })).code).toBe(
      'WEBHOOK_SIGNATURE_MISSING',
    );
    expect((await rejection({ body: hook.body, headers: { 'plaid-verification': '' } })).code).toBe(
      'WEBHOOK_SIGNATURE_MISSING',
    );
  });

  it('WEBHOOK_BODY_MISMATCH: the body off by one byte', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    const changed = hook.body.replace('item-abc', 'item-abd');
    expect(changed.length).toBe(hook.body.length);
    expect((await rejection({ body: changed, headers: hook.headers })).code).toBe('WEBHOOK_BODY_MISMATCH');
    expect((await rejection({ body: `${hook.body} `, headers: hook.headers })).code).toBe('WEBHOOK_BODY_MISMATCH');
  });

  it('WEBHOOK_BODY_MISMATCH: the body parsed and serialised again (compact), or passed as an object', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    const compact = JSON.stringify(JSON.parse(hook.body));
    expect(compact).not.toBe(hook.body);
    expect((await rejection({ body: compact, headers: hook.headers })).code).toBe('WEBHOOK_BODY_MISMATCH');
    const parsed = await rejection({ body: JSON.parse(hook.body), headers: hook.headers });
    expect(parsed.code).toBe('WEBHOOK_BODY_MISMATCH');
    expect(parsed.message).toContain('express.raw');
  });

  it('WEBHOOK_TOO_OLD: iat six minutes old', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item, { signedAt: new Date(START - 6 * 60_000) });
    expect((await rejection(hook)).code).toBe('WEBHOOK_TOO_OLD');
  });

  it('WEBHOOK_SIGNATURE_INVALID: signed by another key under the same kid', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item, { key: 'wrong' });
    const [header] = (hook.headers['Plaid-Verification'] as string).split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString()).kid).toBe(s.fake.webhookKeyId);
    expect((await rejection(hook)).code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('WEBHOOK_SIGNATURE_INVALID: alg none, without asking Plaid for a key', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    const claims = {
      iat: Math.floor(START / 1000),
      request_body_sha256: createHash('sha256').update(hook.body).digest('hex'),
    };
    const jwt = `${b64({ alg: 'none', kid: s.fake.webhookKeyId, typ: 'JWT' })}.${b64(claims)}.`;
    expect((await rejection({ body: hook.body, headers: { 'Plaid-Verification': jwt } })).code).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
    expect(s.keyFetches()).toBe(0);
  });

  it("WEBHOOK_SIGNATURE_INVALID: HS256 'signed' with the public key's bytes", async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    await s.plaid.webhooks.verify(hook); // the real key is now cached: the attack has every advantage
    const response = s.fake.webhook('ITEM', 'ERROR', item); // same kid
    const key = await publicJwk(s, s.fake.webhookKeyId);
    const claims = {
      iat: Math.floor(START / 1000),
      request_body_sha256: createHash('sha256').update(response.body).digest('hex'),
    };
    const header = { alg: 'HS256', kid: s.fake.webhookKeyId, typ: 'JWT' };
    for (const secret of [JSON.stringify(key), String(key.x), Buffer.from(String(key.x), 'base64url')]) {
      const jwt = hmacJwt(header, claims, secret);
      expect((await rejection({ body: response.body, headers: { 'Plaid-Verification': jwt } })).code).toBe(
        'WEBHOOK_SIGNATURE_INVALID',
      );
    }
  });

  it('WEBHOOK_KEY_EXPIRED: signed with a key Plaid has expired', async () => {
    expect((await rejection(s.fake.webhook('ITEM', 'ERROR', item, { key: 'expired' }))).code).toBe(
      'WEBHOOK_KEY_EXPIRED',
    );
  });

  it('WEBHOOK_SIGNATURE_INVALID: a kid Plaid does not know; asked once, then remembered', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    const [, claims, signature] = (hook.headers['Plaid-Verification'] as string).split('.');
    const jwt = `${b64({ alg: 'ES256', kid: 'no-such-key-0000', typ: 'JWT' })}.${claims}.${signature}`;
    for (let i = 0; i < 5; i += 1) {
      expect((await rejection({ body: hook.body, headers: { 'Plaid-Verification': jwt } })).code).toBe(
        'WEBHOOK_SIGNATURE_INVALID',
      );
    }
    expect(s.keyFetches()).toBe(1);
  });

  it('made-up kids cannot make it hammer Plaid: key fetches are bounded per minute', async () => {
    const hook = s.fake.webhook('ITEM', 'ERROR', item);
    const [, claims, signature] = (hook.headers['Plaid-Verification'] as string).split('.');
    const codes: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const jwt = `${b64({ alg: 'ES256', kid: `made-up-${i}`, typ: 'JWT' })}.${claims}.${signature}`;
      codes.push((await rejection({ body: hook.body, headers: { 'Plaid-Verification': jwt } })).code);
    }
    expect(s.keyFetches()).toBe(10);
    expect(codes.slice(10).every((code) => code === 'WEBHOOK_KEY_UNAVAILABLE')).toBe(true);
  });

  it('WEBHOOK_WRONG_ENVIRONMENT: a production webhook at a sandbox facade', async () => {
    expect((await rejection(s.fake.webhook('ITEM', 'ERROR', { ...item, environment: 'production' }))).code).toBe(
      'WEBHOOK_WRONG_ENVIRONMENT',
    );
  });

  it('WEBHOOK_KEY_UNAVAILABLE (retryable): Plaid could not be asked for the key', async () => {
    // The facade retries the fetch once, quickly (Plaid gives a receiver 10 s): both attempts fail.
    s.fake.failNext('/webhook_verification_key/get', 'INTERNAL_SERVER_ERROR', { times: 2 });
    const error = await rejection(s.fake.webhook('ITEM', 'ERROR', item));
    expect(error.code).toBe('WEBHOOK_KEY_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    // The next delivery (Plaid retries) verifies.
    await expect(s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item))).resolves.toMatchObject({
      webhookCode: 'ERROR',
    });
  });
});

describe('the key cache', () => {
  it('50 concurrent webhooks signed with a new kid cause one key fetch', async () => {
    await s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item));
    expect(s.keyFetches()).toBe(1);
    s.fake.rotateWebhookKey();
    const hooks = Array.from({ length: 50 }, (_, i) => s.fake.webhook('ITEM', 'ERROR', { item_id: `item-${i}` }));
    const events = await Promise.all(hooks.map((hook) => s.plaid.webhooks.verify(hook)));
    expect(events.map((event) => event.itemId)).toEqual(hooks.map((_, i) => `item-${i}`));
    expect(s.keyFetches()).toBe(2);
  });

  it('asks Plaid again for a cached key after an hour (to learn of its expiry), and keeps it if Plaid is down', async () => {
    await s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item));
    s.clock.now = START + 30 * 60_000;
    await s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item));
    expect(s.keyFetches()).toBe(1);
    s.clock.now = START + 61 * 60_000;
    await s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item));
    expect(s.keyFetches()).toBe(2);
    s.clock.now = START + 122 * 60_000;
    s.fake.failNext('/webhook_verification_key/get', 'INTERNAL_SERVER_ERROR', { times: 2 });
    await expect(s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item))).resolves.toMatchObject({
      webhookCode: 'ERROR',
    });
  });

  it('publishes each outcome on plaid-facade:webhook-verification, never the body or the JWT', async () => {
    const messages: unknown[] = [];
    const listener = (message: unknown) => messages.push(message);
    diagnostics.subscribe('plaid-facade:webhook-verification', listener);
    try {
      const hook = s.fake.webhook('ITEM', 'ERROR', item);
      await s.plaid.webhooks.handle(hook);
      await s.plaid.webhooks.verify({ body: hook.body, headers: {} }).catch(() => undefined);
    } finally {
      diagnostics.unsubscribe('plaid-facade:webhook-verification', listener);
    }
    expect(messages).toEqual([
      { result: 'verified', webhookType: 'ITEM', webhookCode: 'ERROR' },
      { result: 'WEBHOOK_SIGNATURE_MISSING' },
    ]);
  });
});
