/**
 * A second process in a linking race: reads one JSON line (the store, the fake's URL and what to
 * deliver), delivers the same public token three ways at once (the browser's exchange, the LINK
 * webhook, completeLink), and prints the Item ids it got as one JSON line.
 */
import { createInterface } from 'node:readline';
import { createPlaidFacade, type WebhookRequest } from '../../src/index.js';
import type { LinkSuccessMetadata } from '../../src/schemas/link-metadata.js';
import { openRaceStore, type RaceStoreSpec } from '../support/link-race-store.js';

interface Job {
  store: RaceStoreSpec;
  fakeUrl: string;
  userId: string;
  linkToken: string;
  publicToken: string;
  metadata: LinkSuccessMetadata;
  webhook: WebhookRequest;
}

const line = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const job = JSON.parse(line) as Job;
const { store, close } = await openRaceStore(job.store);
const plaid = createPlaidFacade({
  clientId: 'id',
  secret: 'secret',
  basePath: job.fakeUrl,
  retry: false,
  tokenStore: store,
});
const [browser, hook, completed] = await Promise.all([
  plaid.exchange({ userId: job.userId, publicToken: job.publicToken, metadata: job.metadata }),
  plaid.webhooks.handle(job.webhook),
  plaid.completeLink({ linkToken: job.linkToken }),
]);
process.stdout.write(
  `${JSON.stringify({ itemIds: [browser.itemId, hook.link?.items[0]?.itemId, completed.items[0]?.itemId] })}\n`,
);
await plaid.close();
await close();
