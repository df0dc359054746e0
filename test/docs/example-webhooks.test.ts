import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../examples/express-server/index.js';

// A downstream service's test: the Express example driven by the fake Plaid's signed webhooks,
// posted to its /plaid/webhook route as Plaid would, then "reconnect" through Link's update mode.
let server: RunningServer;
const post = async (path: string, body: unknown = {}) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const items = async () =>
  ((await (await fetch(`${server.url}/api/items`)).json()) as { items: Array<Record<string, unknown>> }).items;
const fake = () => {
  if (!server.fake) throw new Error('the example runs against the fake here');
  return server.fake;
};

beforeAll(async () => {
  server = await startServer({ fake: true });
});
afterAll(() => server.close());

async function connect(): Promise<string> {
  const link = await post('/api/fake-link');
  const exchanged = await post('/api/exchange', link.body);
  return exchanged.body.itemId as string;
}

describe('examples/express-server: webhooks and reconnect', () => {
  it('marks the Item on a signed ITEM ERROR webhook, and reconnects it through update mode', async () => {
    const itemId = await connect();
    expect(await items()).toContainEqual(expect.objectContaining({ itemId, status: 'healthy', needsReconnect: false }));

    // The bank asks the user to log in again: Plaid's data calls fail and Plaid sends a webhook.
    fake().setItemError(itemId, 'ITEM_LOGIN_REQUIRED');
    const answer = await fake().webhook('ITEM', 'ERROR', { item_id: itemId }).post(`${server.url}/plaid/webhook`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ received: true, webhookCode: 'ERROR', applied: true });
    expect(await items()).toContainEqual(
      expect.objectContaining({ itemId, status: 'login_required', needsReconnect: true }),
    );

    // "Reconnect": an update-mode link token for that Item, the user goes through Link, the app asks Plaid.
    const link = await post('/api/link-token', { itemId });
    expect(link.status).toBe(200);
    const sent = fake().callsTo('/link/token/create').at(-1)?.body as Record<string, unknown>;
    expect(sent.access_token).toMatch(/^access-/);
    expect((await post('/api/fake-relink', { itemId })).status).toBe(200);
    expect((await post('/api/reconnected', { itemId })).body).toEqual({ itemId, status: 'healthy' });
    expect(await items()).toContainEqual(expect.objectContaining({ itemId, status: 'healthy', needsReconnect: false }));
  });

  it('refuses unsigned, forged and re-serialised webhooks with 400, and changes nothing', async () => {
    const itemId = await connect();
    const url = `${server.url}/plaid/webhook`;
    const hook = fake().webhook('ITEM', 'USER_PERMISSION_REVOKED', { item_id: itemId });
    const refused = [
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hook.body }),
      await fetch(url, { method: 'POST', headers: hook.headers, body: JSON.stringify(JSON.parse(hook.body)) }),
    ];
    expect(refused.map((response) => response.status)).toEqual([400, 400]);
    expect(await Promise.all(refused.map((response) => response.json()))).toEqual([
      { error: 'WEBHOOK_SIGNATURE_MISSING' },
      { error: 'WEBHOOK_BODY_MISMATCH' },
    ]);
    const forged = await fake()
      .webhook('ITEM', 'USER_PERMISSION_REVOKED', { item_id: itemId }, { key: 'wrong' })
      .post(url);
    expect(forged).toEqual({ status: 400, text: JSON.stringify({ error: 'WEBHOOK_SIGNATURE_INVALID' }) });
    expect(await items()).toContainEqual(expect.objectContaining({ itemId, status: 'healthy' }));
  });

  it('receives what /sandbox/item/fire_webhook sends to the Item’s webhook URL', async () => {
    const itemId = await connect();
    const item = fake().item(itemId);
    expect(item.webhook).toBe(`${server.url}/plaid/webhook`);
    const response = await fetch(`${fakeUrl()}/sandbox/item/fire_webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'plaid-client-id': 'example-client-id',
        'plaid-secret': 'example-secret',
      },
      body: JSON.stringify({ access_token: item.accessToken, webhook_code: 'PENDING_DISCONNECT' }),
    });
    expect(response.status).toBe(200);
    await fake().flushWebhooks();
    expect(fake().deliveries.at(-1)?.status).toBe(200);
    expect(await items()).toContainEqual(
      expect.objectContaining({ itemId, status: 'pending_disconnect', needsReconnect: true }),
    );
  });

  it('receives LINK webhooks: SESSION_FINISHED links the session’s Item once, as the browser and complete-link do', async () => {
    for (const item of await items()) await post('/api/disconnect', { itemId: item.itemId });
    const { linkToken } = (await post('/api/link-token')).body as { linkToken: string };
    const session = fake().finishLinkSession(linkToken, { items: [{ institutionId: 'ins_109509' }] });
    const url = `${server.url}/plaid/webhook`;
    const first = await session.webhooks.sessionFinished.post(url);
    expect(JSON.parse(first.text)).toEqual({ received: true, webhookCode: 'SESSION_FINISHED', applied: true });
    const again = await session.webhooks.sessionFinished.post(url);
    expect(JSON.parse(again.text)).toMatchObject({ applied: false });
    const success = session.successes[0];
    const browser = await post('/api/exchange', success);
    const completed = await post('/api/complete-link', { linkToken });
    expect(completed.body).toEqual({ status: 'completed', itemIds: [browser.body.itemId] });
    expect(await items()).toHaveLength(1);
    const events = await session.webhooks.events.post(url);
    expect(JSON.parse(events.text)).toEqual({ received: true, webhookCode: 'EVENTS', applied: false });
  });
});

function fakeUrl(): string {
  return server.fakeUrl as string;
}
