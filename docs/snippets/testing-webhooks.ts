// Code of docs/testing.md about webhooks. `plaid` is a facade over the fake; `itemId` and `appUrl`
// (your service, which has the webhook route) come from your test: the parameters of `examples`,
// which test/docs/docs-snippets-run.test.ts calls with this `fake` served on loopback and the route of
// webhooks.ts as the service.
import type { PlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid();

export async function examples({ plaid, itemId, appUrl }: { plaid: PlaidFacade; itemId: string; appUrl: string }) {
  // #region webhooks
  const hook = fake.webhook('ITEM', 'ERROR', { item_id: itemId }); // signed like Plaid: { body, headers }
  await plaid.webhooks.handle(hook); // the Item is now login_required
  await hook.post(`${appUrl}/plaid/webhook`); // or deliver it to your own route

  fake.webhook('ITEM', 'ERROR', { item_id: itemId }, { key: 'wrong' }); // an impostor's key, same kid
  fake.webhook('ITEM', 'ERROR', { item_id: itemId }, { key: 'expired' }); // Plaid expired that key
  fake.webhook('ITEM', 'ERROR', { item_id: itemId }, { signedAt: new Date(Date.now() - 6 * 60_000) }); // too old
  fake.rotateWebhookKey(); // a new kid from now on

  fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED'); // data calls fail, /item/get shows the error
  fake.setItemError(itemId, null); // the user reconnected
  await fake.flushWebhooks(); // waits for what /sandbox/item/fire_webhook sent to the Item's URL
  // #endregion
}

export { fake };
