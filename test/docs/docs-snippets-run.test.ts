/**
 * Runs every guide snippet (docs/snippets/*.ts) that is handed its facade, or needs none, and checks
 * what its comments promise, against the fake Plaid served on loopback (`fake.listen()`) or the mock
 * facade. No snippet is only type-checked:
 *
 * - whole programs run as they are, by importing them;
 * - fragments export functions around the regions the guides show, taking what the guide leaves to
 *   "your application" (`plaid`, `userId`, `itemId`, your queue…) as parameters: this file calls them;
 * - a fragment whose block shows its imports runs at its module's top level, and reads those values
 *   through docs/snippets/given.ts: this file calls `give()` right before importing it.
 *
 * The snippets that create their own facade or official client for Plaid's hosts run in
 * test/docs-snippets-run-hosts.test.ts; the README's Quick start and the msw setup have their own
 * tests (readme-quick-start, docs-testing).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import {
  createPlaidFacade,
  ItemUnavailableError,
  MemoryTokenStore,
  PlaidApiError,
  type PlaidFacade,
  type PlaidFacadeOptions,
  type StoredItem,
  type TokenStore,
  WebhookVerificationError,
} from 'plaid-facade';
import { createFakePlaid, type FakePlaid } from 'plaid-facade/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as balances from '../../docs/snippets/balances.js';
import { give } from '../../docs/snippets/given.js';
import * as itemHealth from '../../docs/snippets/item-health.js';
import type * as LinkingFlow from '../../docs/snippets/linking-flow.js';
import { importTokens } from '../../docs/snippets/migrating-tokens.js';
import * as webhooks from '../../docs/snippets/webhooks.js';
import { serviceUrl } from '../support/services.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

/** Serves `fake` on loopback for this file; facades made by `facade()` are closed after each test. */
function onLoopback(fake: FakePlaid) {
  let url = '';
  let close: () => Promise<void> = async () => {};
  const open: PlaidFacade[] = [];
  beforeAll(async () => {
    ({ url, close } = await fake.listen());
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((facade) => facade.close()));
  });
  afterAll(() => close());
  return {
    url: () => url,
    /** A facade over the fake, without retries (a failure shows at once) unless `options` say otherwise. */
    facade(options: Partial<PlaidFacadeOptions> = {}): PlaidFacade {
      const created = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: url, retry: false, ...options });
      open.push(created);
      return created;
    },
  };
}

/** What `console.log` (or another console method) printed during the test, one array per call. */
function printed(method: 'log' | 'warn' = 'log'): unknown[][] {
  const lines: unknown[][] = [];
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args));
  return lines;
}

/** An HTTP server on loopback for `app`; closed after the file. */
async function serve(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('whole programs', () => {
  it('getting-started-offline: links an Item on the fake over HTTP and prints its balances', async () => {
    const lines = printed();
    await import('../../docs/snippets/getting-started-offline.js');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toMatchObject({ accounts: { length: 3 } });
  });

  it('testing-mock: records the call as its comment says', async () => {
    const { plaid } = await import('../../docs/snippets/testing-mock.js');
    expect(plaid.calls.getBalances).toEqual([[{ userId: 'u1', itemId: 'i1' }, undefined]]);
  });

  it('testing-mock-failure: the mock rejects with the PlaidApiError for ITEM_LOGIN_REQUIRED', async () => {
    const { plaid } = await import('../../docs/snippets/testing-mock-failure.js');
    const error = await plaid.getBalances({ userId: 'u1', itemId: 'i1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED', status: 400, retryable: false });
  });

  it('token-storage-shapes: every method called as the guide shows, over a MemoryTokenStore', async () => {
    const { shapes } = await import('../../docs/snippets/token-storage-shapes.js');
    const store = new MemoryTokenStore();
    const { item, all, found } = await shapes(store, 'u1', 'i1');
    expect(item).toMatchObject({ userId: 'u1', itemId: 'i1' });
    expect(all).toHaveLength(1);
    expect(found).toMatchObject({ itemId: 'i1' });
    expect(await store.list('u1')).toEqual([]);
  });

  it('testing-serve-listen: serves the fake on loopback and closes it', async () => {
    await expect(import('../../docs/snippets/testing-serve-listen.js')).resolves.toBeDefined();
  });

  const url = serviceUrl('postgres', 'docs snippet token-storage-postgres');
  it.skipIf(!url)('token-storage-postgres: creates its table and keeps a token', async () => {
    const schema = `pf_snippet_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: url });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    try {
      vi.stubEnv('DATABASE_URL', `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      const { pool, store } = await import('../../docs/snippets/token-storage-postgres.js');
      try {
        expect(pool.listenerCount('error')).toBe(1);
        const item = { userId: 'u1', itemId: 'i1', accessToken: 'access-sandbox-x1', createdAt: new Date() };
        await store.set(item);
        expect((await store.get({ userId: 'u1', itemId: 'i1' }))?.accessToken).toBe('access-sandbox-x1');
      } finally {
        await pool.end();
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});

describe('snippets handed a facade over the fake Plaid', () => {
  const fake = createFakePlaid();
  const loopback = onLoopback(fake);
  afterEach(() => fake.reset());

  /** A facade with one Item of `userId` linked (First Platypus Bank's three accounts unless `link` says). */
  async function linked(
    options: Partial<PlaidFacadeOptions> = {},
    link?: Parameters<FakePlaid['createPublicToken']>[0],
    userId = 'user-42',
  ) {
    const plaid = loopback.facade(options);
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken(link) });
    return { plaid, userId, itemId };
  }
  const balanceCalls = () => fake.callsTo('/accounts/balance/get');

  describe('balances', () => {
    it('#timeouts: both reads answer, one live call each', async () => {
      const read = await linked();
      await balances.timeouts(read);
      expect(balanceCalls().map((call) => call.status)).toEqual([200, 200]);
    });

    it('#min-last-updated: sent to Plaid and ignored where balances are live', async () => {
      const read = await linked();
      await balances.minLastUpdated(read);
      const body = balanceCalls()[0]?.body as { options: { min_last_updated_datetime: string } } | undefined;
      const sent = Date.parse(body?.options.min_last_updated_datetime ?? '');
      expect(Date.now() - sent).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
      expect(Date.now() - sent).toBeLessThan(25 * 60 * 60 * 1000);
    });

    it('#min-last-updated: a Capital One card older than that is rethrown as LAST_UPDATED_DATETIME_OUT_OF_RANGE', async () => {
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString();
      const read = await linked(
        {},
        {
          institutionId: 'ins_128026',
          accounts: [{ name: 'Card', type: 'credit', balances: { current: 5, last_updated_datetime: twoDaysAgo } }],
        },
      );
      await expect(balances.minLastUpdated(read)).rejects.toMatchObject({
        code: 'LAST_UPDATED_DATETIME_OUT_OF_RANGE',
      });
    });

    it('#account-ids and #nullable: only the checking account, described without printing a null', async () => {
      const read = await linked();
      const checkingId = fake.item(read.itemId).accounts[0]?.account_id ?? '';
      const { accounts, fetchedAt } = await balances.accountIds({ ...read, checkingId });
      expect(accounts.map((account) => account.accountId)).toEqual([checkingId]);
      expect(fetchedAt).toBeInstanceOf(Date);
      expect(balanceCalls()[0]?.body).toMatchObject({ options: { account_ids: [checkingId] } });
      expect(accounts.map(balances.describe)).toEqual([
        expect.stringMatching(/^Plaid Checking 0000: 100\.00 USD available, 110\.00 USD current( \(as of .+\))?$/),
      ]);
      const [checking, , card] = (await read.plaid.getBalances({ userId: read.userId, itemId: read.itemId })).accounts;
      if (!checking || !card) throw new Error('the fake Item has three accounts');
      // The card has no `available`: it owes its current balance, against its limit.
      expect(balances.describe(card)).toMatch(/^Plaid Credit Card: owes 410\.00 USD, limit 2000\.00 USD/);
      const blank = { ...checking, balances: { ...checking.balances, available: null } };
      expect(balances.describe(blank)).toContain('n/a available');
    });

    it('#max-age: the second read within the minute is served again, with the first read time', async () => {
      const read = await linked();
      const first = await balances.maxAge(read);
      const second = await balances.maxAge(read);
      expect([first.source, second.source]).toEqual(['live', 'cache']);
      expect(second.fetchedAt).toEqual(first.fetchedAt);
      expect(fake.billedCalls).toBe(1);
    });

    it("#accounts: Plaid's cached balances, free", async () => {
      const read = await linked();
      const before = fake.callsTo('/accounts/get').length;
      const cached = await balances.accounts(read);
      expect(cached.source).toBe('plaid-cache');
      expect(cached.accounts).toHaveLength(3);
      expect(fake.callsTo('/accounts/get')).toHaveLength(before + 1);
      expect(fake.billedCalls).toBe(0);
    });

    it('#all-balances: one result per Item; an Item known from webhooks as login_required is reported without a call', async () => {
      const { plaid, userId, itemId: broken } = await linked();
      const { itemId: healthy } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
      await plaid.webhooks.handle(fake.webhook('ITEM', 'ERROR', { item_id: broken }));
      const { all, total } = await balances.allBalances({ plaid, userId });
      const byItem = new Map(all.items.map((item) => [item.itemId, item]));
      expect(byItem.get(healthy)?.ok).toBe(true);
      const failed = byItem.get(broken);
      expect(failed?.ok === false && failed.error).toBeInstanceOf(ItemUnavailableError);
      expect(all.partial).toBe(true);
      expect(total).toBe(300); // the healthy Item's checking (100) and savings (200) available
      expect(balanceCalls().map((call) => (call.body as { access_token: string }).access_token)).toEqual([
        fake.item(healthy).accessToken,
      ]);
    });
  });

  it('item-health: lists the Item to reconnect, then asks for update-mode tokens and /item/get', async () => {
    const { plaid, userId, itemId } = await linked();
    await plaid.webhooks.handle(fake.webhook('ITEM', 'ERROR', { item_id: itemId }));
    const lines = printed();
    const callsBefore = fake.calls.length;
    const result = await itemHealth.examples({ plaid, userId, itemId });
    expect(lines).toEqual([[`${itemId}: ask the user to reconnect`]]);
    expect(result.items.map((item) => item.health.status)).toEqual(['login_required']);
    const [update, selection, ...rest] = fake.calls.slice(callsBefore);
    // listItems read the store only: the first call to Plaid is the update-mode link token.
    expect(update).toMatchObject({
      endpoint: '/link/token/create',
      body: { access_token: fake.item(itemId).accessToken },
    });
    expect(update?.body).not.toHaveProperty('products');
    expect(selection).toMatchObject({
      endpoint: '/link/token/create',
      body: { update: { account_selection_enabled: true } },
    });
    expect(rest.map((call) => call.endpoint)).toEqual(['/item/get']);
    expect([result.linkToken, result.selection.linkToken]).toEqual([
      expect.stringMatching(/^link-sandbox-/),
      expect.stringMatching(/^link-sandbox-/),
    ]);
    // Plaid, not the stale webhook, has the last word: the fake's Item has no error.
    expect(result.health.status).toBe('healthy');
  });

  it('migrating-tokens: tokens you hold, moved into the store, are the ones the facade reads', async () => {
    // "Your database": access tokens the official client got from Plaid (here, from the fake).
    const exchanged = await fetch(`${loopback.url()}/item/public_token/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'id', secret: 'secret', public_token: fake.createPublicToken() }),
    });
    const { access_token, item_id } = (await exchanged.json()) as { access_token: string; item_id: string };
    const rows = [{ userId: 'user-42', itemId: item_id, accessToken: access_token, createdAt: new Date() }];
    const tokenStore = new MemoryTokenStore();
    await importTokens({ tokenStore, db: { allTokens: async () => rows } });
    expect((await tokenStore.get({ userId: 'user-42', itemId: item_id }))?.accessToken).toBe(access_token);
    const { accounts } = await loopback.facade({ tokenStore }).getBalances({ userId: 'user-42', itemId: item_id });
    expect(accounts).toHaveLength(3);
  });

  describe('linking-flow (server) and linking-flow-browser (front end)', () => {
    /** A memory store whose writes can be made to fail. */
    class FlakyStore extends MemoryTokenStore {
      failWrites = false;
      override async set(item: StoredItem): Promise<void> {
        if (this.failWrites) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return super.set(item);
      }
    }
    const store = new FlakyStore();
    let plaid: PlaidFacade;
    let flow: typeof LinkingFlow;
    beforeAll(async () => {
      // One facade for the module, as a service creates it at start-up.
      plaid = createPlaidFacade({
        clientId: 'id',
        secret: 'secret',
        basePath: loopback.url(),
        retry: false,
        tokenStore: store,
      });
      give<LinkingFlow.Given>({ plaid });
      flow = await import('../../docs/snippets/linking-flow.js');
    });
    afterEach(() => {
      store.failWrites = false;
    });
    afterAll(() => plaid.close());

    it('#link-token: a Link token with its expiration as an ISO string, and the webhook sent along', async () => {
      const { linkToken, expiration } = await flow.createLinkToken('user-42');
      expect(linkToken).toMatch(/^link-sandbox-/);
      expect(Date.parse(expiration)).toBeGreaterThan(Date.now());
      expect(fake.callsTo('/link/token/create')[0]?.body).toMatchObject({
        user: { client_user_id: 'user-42' },
        webhook: 'https://api.example.com/plaid/webhook',
      });
    });

    it('#exchange: linked, and the token is in the store, never in the answer', async () => {
      const result = await flow.exchangePublicToken('user-42', fake.createPublicToken());
      expect(result).toEqual({ status: 'linked', itemId: expect.any(String) });
      const itemId = result.status === 'linked' ? result.itemId : '';
      expect((await store.get({ userId: 'user-42', itemId }))?.accessToken).toBe(fake.item(itemId).accessToken);
    });

    it('#exchange: the store failing after Plaid issued the token -> try again later, nothing left at Plaid', async () => {
      store.failWrites = true;
      expect(await flow.exchangePublicToken('user-42', fake.createPublicToken())).toEqual({
        status: 'try-again-later',
        itemRemoved: true,
      });
      expect(fake.items.map((item) => item.removed)).toEqual([true]);
    });

    it('#exchange: the same token again -> the same Item; an exchange whose answer was lost -> link again', async () => {
      const publicToken = fake.createPublicToken();
      const first = await flow.exchangePublicToken('user-42', publicToken);
      // Delivered twice (a double click, a webhook, completeLink): one exchange, the same Item.
      expect(await flow.exchangePublicToken('user-42', publicToken)).toEqual(first);
      fake.failNext('/item/public_token/exchange', 'processed-then-dropped');
      expect(await flow.exchangePublicToken('user-42', fake.createPublicToken())).toEqual({ status: 'link-again' });
    });

    it('#duplicate: the same bank and account again -> already linked, nothing exchanged', async () => {
      const first = fake.completeLink();
      const linked = await flow.exchangeWithMetadata('user-dup', first.publicToken, first.metadata);
      const again = fake.completeLink();
      expect(await flow.exchangeWithMetadata('user-dup', again.publicToken, again.metadata)).toEqual({
        status: 'already-linked',
        itemId: linked.itemId,
      });
      expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(1);
    });

    it('#complete-link: a session the browser never finished is completed on the server', async () => {
      const { linkToken } = await flow.createLinkToken('user-77');
      fake.finishLinkSession(linkToken);
      const result = await flow.resumeLink(linkToken);
      expect(result).toEqual({ userId: 'user-77', status: 'completed', itemIds: [expect.any(String)] });
      expect(await store.list('user-77')).toHaveLength(1);
    });

    it('#link-webhook: SESSION_FINISHED stores the Items; a redelivery links nothing', async () => {
      const { linkToken } = await flow.createLinkToken('user-78');
      const hook = fake.finishLinkSession(linkToken).webhooks.sessionFinished;
      const headers = { ...hook.headers };
      expect(await flow.receiveWebhook(Buffer.from(hook.body), headers)).toEqual({ userId: 'user-78', linked: 1 });
      expect(await flow.receiveWebhook(Buffer.from(hook.body), headers)).toEqual({ userId: 'user-78', linked: 0 });
    });

    it('#update-mode: balances while the Item works, an update-mode token once it needs its user', async () => {
      const linked = await flow.exchangePublicToken('user-42', fake.createPublicToken());
      const itemId = linked.status === 'linked' ? linked.itemId : '';
      const ok = await flow.balancesOrRepair('user-42', itemId);
      expect(ok.status === 'ok' && ok.balances.accounts).toHaveLength(3);
      fake.setItemError(itemId, 'ITEM_LOGIN_REQUIRED');
      const repair = await flow.balancesOrRepair('user-42', itemId);
      expect(repair).toEqual({ status: 'repair', linkToken: expect.stringMatching(/^link-sandbox-/) });
      const update = fake.callsTo('/link/token/create').at(-1)?.body as Record<string, unknown>;
      expect(update.access_token).toBe(fake.item(itemId).accessToken);
      expect(update).not.toHaveProperty('products');
    });

    /**
     * The browser's side in Node: a stand-in for Link's global `Plaid` (it "succeeds" as soon as it
     * opens, or exits with an error), and a `fetch` that serves the two routes with linking-flow.ts.
     */
    function browser(link: { exitWith?: { error_code: string; display_message: string | null } } = {}) {
      const opened: string[] = [];
      const served: string[] = [];
      let exchanged: (result: unknown) => void = () => {};
      const exchange = new Promise<unknown>((resolve) => (exchanged = resolve));
      vi.stubGlobal('Plaid', {
        create(config: {
          token: string;
          onSuccess: (publicToken: string, metadata: { institution: null }) => void;
          onExit?: (error: { error_code: string; display_message: string | null } | null) => void;
        }) {
          return {
            open() {
              opened.push(config.token);
              if (link.exitWith) config.onExit?.(link.exitWith);
              else config.onSuccess(fake.createPublicToken(), { institution: null });
            },
            destroy() {},
          };
        },
      });
      vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
        expect(init.method).toBe('POST');
        if (path === '/plaid/link-token') {
          const created = await flow.createLinkToken('user-web');
          served.push(created.linkToken);
          return Response.json(created);
        }
        if (path === '/plaid/exchange') {
          const { publicToken } = JSON.parse(String(init.body)) as { publicToken: string };
          const result = await flow.exchangePublicToken('user-web', publicToken);
          exchanged(result);
          return Response.json(result);
        }
        return new Response('not found', { status: 404 });
      });
      return { opened, served, exchange };
    }

    it('linking-flow-browser: opens Link with the server’s token and posts the public token back', async () => {
      const { connectBank } = await import('../../docs/snippets/linking-flow-browser.js');
      const { opened, served, exchange } = browser();
      await connectBank();
      expect(await exchange).toEqual({ status: 'linked', itemId: expect.any(String) });
      expect(opened).toEqual(served);
      expect(served).toEqual([expect.stringMatching(/^link-sandbox-/)]);
      expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(1);
      expect(await store.list('user-web')).toHaveLength(1);
    });

    it('linking-flow-browser: says why Link closed', async () => {
      const { connectBank } = await import('../../docs/snippets/linking-flow-browser.js');
      const lines = printed('warn');
      browser({ exitWith: { error_code: 'INSTITUTION_NOT_RESPONDING', display_message: null } });
      await connectBank();
      expect(lines).toEqual([['Link closed:', 'INSTITUTION_NOT_RESPONDING', null]]);
      expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(0);
    });
  });

  describe('webhooks', () => {
    const events: unknown[] = [];
    let appUrl = '';
    let app: Server;
    let plaid: PlaidFacade;
    beforeAll(async () => {
      plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: loopback.url(), retry: false });
      const routes = express();
      webhooks.webhookRoute({ app: routes, plaid, enqueue: async (event) => void events.push(event) });
      ({ url: appUrl, server: app } = await serve(routes));
    });
    afterEach(() => {
      events.length = 0;
    });
    afterAll(async () => {
      await plaid.close();
      await new Promise((resolve) => app.close(resolve));
    });

    it('#express: a verified webhook is handled, queued and acknowledged; a forged one answered 400', async () => {
      const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
      const answer = await fake.webhook('ITEM', 'ERROR', { item_id: itemId }).post(`${appUrl}/plaid/webhook`);
      expect(answer).toEqual({ status: 200, text: JSON.stringify({ received: true }) });
      expect(events).toEqual([expect.objectContaining({ webhookType: 'ITEM', webhookCode: 'ERROR', itemId })]);
      expect((await plaid.listItems({ userId: 'user-42' }))[0]?.health.status).toBe('login_required');
      const forged = await fake
        .webhook('ITEM', 'ERROR', { item_id: itemId }, { key: 'wrong' })
        .post(`${appUrl}/plaid/webhook`);
      expect(forged).toEqual({ status: 400, text: JSON.stringify({ error: 'WEBHOOK_SIGNATURE_INVALID' }) });
      expect(events).toHaveLength(1);
    });

    it('#express: WEBHOOK_KEY_UNAVAILABLE is answered 503, so that Plaid delivers it again', async () => {
      fake.rotateWebhookKey(); // a kid the facade has not fetched yet...
      fake.failNext('/webhook_verification_key/get', 'INTERNAL_SERVER_ERROR', { times: 10 }); // ...and cannot
      const answer = await fake.webhook('ITEM', 'ERROR', { item_id: 'item-x' }).post(`${appUrl}/plaid/webhook`);
      expect(answer).toEqual({ status: 503, text: JSON.stringify({ error: 'WEBHOOK_KEY_UNAVAILABLE' }) });
    });

    it('#fetch and #narrow: verified from a Fetch API Request, narrowed by code', async () => {
      const request = (hook: { body: string; headers: Readonly<Record<string, string>> }) =>
        new Request('https://api.example.com/plaid/webhook', {
          method: 'POST',
          headers: hook.headers,
          body: hook.body,
        });
      const lines = printed();
      for (const hook of [
        fake.webhook('ITEM', 'ERROR', { item_id: 'item-1' }),
        fake.webhook('ITEM', 'PENDING_DISCONNECT', { item_id: 'item-1' }),
        fake.webhook('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', { item_id: 'item-1' }),
      ]) {
        await webhooks.fetchHandler({ plaid, request: request(hook) });
      }
      expect(lines).toEqual([
        ['item-1', 'ITEM_LOGIN_REQUIRED'],
        [expect.stringMatching(/^\d{4}-\d\d-\d\dT.+Z$/)],
        ['TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', expect.objectContaining({ item_id: 'item-1' })],
      ]);
      const forged = fake.webhook('ITEM', 'ERROR', { item_id: 'item-1' }, { key: 'wrong' });
      await expect(webhooks.fetchHandler({ plaid, request: request(forged) })).rejects.toBeInstanceOf(
        WebhookVerificationError,
      );
    });
  });
});

describe("testing-fake: the fake's own snippets, served on loopback", async () => {
  const snippet = await import('../../docs/snippets/testing-fake.js');
  const { fake } = snippet;
  const loopback = onLoopback(fake);
  const userId = 'user-42';

  it('#link: First Platypus Bank with 3 accounts; a Capital One Item that needs min_last_updated_datetime', async () => {
    // maxBalanceAgeMs: false, so the read goes out without the option, as the fake's check needs.
    const plaid = loopback.facade({ maxBalanceAgeMs: false });
    const platypus = await plaid.exchange({ userId, publicToken: snippet.publicToken });
    expect(fake.item(platypus.itemId)).toMatchObject({ institutionId: 'ins_109508', accounts: { length: 3 } });
    const capitalOne = await plaid.exchange({ userId, publicToken: snippet.capitalOneToken });
    expect(fake.item(capitalOne.itemId)).toMatchObject({
      institutionId: 'ins_128026',
      products: ['auth'],
      webhook: 'https://example.com/hook',
    });
    await expect(plaid.getBalances({ userId, itemId: capitalOne.itemId })).rejects.toMatchObject({
      code: 'INVALID_FIELD',
    });
    const { accounts } = await plaid.getBalances({
      userId,
      itemId: capitalOne.itemId,
      minLastUpdated: new Date(Date.now() - 60_000),
    });
    expect(accounts).toEqual([
      expect.objectContaining({ name: 'Wallet', balances: expect.objectContaining({ current: 0.5, currency: 'BTC' }) }),
    ]);
  });

  it('#state: setBalance changes what it names and keeps the rest', async () => {
    const plaid = loopback.facade();
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
    const accountId = fake.item(itemId).accounts[0]?.account_id ?? '';
    snippet.state({ itemId, accountId });
    const { accounts } = await plaid.getBalances({ userId, itemId, accountIds: [accountId] });
    expect(accounts[0]?.balances).toMatchObject({ available: 12.5, current: 110 });
  });

  it('#faults: the next call, then the next three, then any endpoint fail as queued', async () => {
    const plaid = loopback.facade();
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
    snippet.faults();
    const code = (call: Promise<unknown>) =>
      call.then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await code(plaid.getBalances({ userId, itemId })));
    codes.push(await code(plaid.linkToken({ userId })));
    codes.push(await code(plaid.getBalances({ userId, itemId })));
    expect(codes).toEqual([
      'INSTITUTION_DOWN',
      'INTERNAL_SERVER_ERROR',
      'INTERNAL_SERVER_ERROR',
      'INTERNAL_SERVER_ERROR',
      'PLANNED_MAINTENANCE',
      'ok',
    ]);
  });

  it('#rate-limit: the limit it sets is lifted again', async () => {
    const plaid = loopback.facade({ rateLimit: false });
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
    snippet.rateLimit();
    for (let i = 0; i < 6; i++) await plaid.getBalances({ userId, itemId });
    expect(
      fake
        .callsTo('/accounts/balance/get')
        .slice(-6)
        .map((call) => call.status),
    ).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('#calls: every request is logged with the fields listed, never the secret', async () => {
    const plaid = loopback.facade({ secret: 'secret-never-logged' });
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
    const accessToken = fake.item(itemId).accessToken;
    await plaid.removeItem({ userId, itemId });
    snippet.calls();
    const [removal] = fake.callsTo('/item/products/terminate');
    expect(Object.keys(removal ?? {}).sort()).toEqual(
      ['at', 'body', 'clientId', 'endpoint', 'errorCode', 'plaidVersion', 'requestId', 'status'].sort(),
    );
    expect(removal).toMatchObject({
      endpoint: '/item/products/terminate',
      body: { access_token: accessToken, reason_code: 'USER_OFFBOARDING' },
      status: 200,
    });
    expect(JSON.stringify(fake.calls)).not.toContain('secret-never-logged');
  });
});

describe("testing-webhooks: the fake's webhooks, to the facade and to the service's route", async () => {
  const snippet = await import('../../docs/snippets/testing-webhooks.js');
  const { fake } = snippet;
  const loopback = onLoopback(fake);
  const queued: unknown[] = [];
  let service: { url: string; server: Server } | undefined;
  afterAll(async () => {
    await new Promise((resolve) => service?.server.close(resolve));
  });

  it('signs webhooks the facade verifies, delivers one to the route, and makes the forged ones', async () => {
    const plaid = loopback.facade();
    const app = express();
    webhooks.webhookRoute({ app, plaid, enqueue: async (event) => void queued.push(event) });
    service = await serve(app);
    const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    const kid = fake.webhookKeyId;
    const made = vi.spyOn(fake, 'webhook');
    await snippet.examples({ plaid, itemId, appUrl: service.url });

    expect((await plaid.listItems({ userId: 'user-42' }))[0]?.health.status).toBe('login_required');
    expect(queued).toEqual([expect.objectContaining({ webhookCode: 'ERROR', itemId })]);
    const [, wrong, expired, old] = made.mock.results.map(
      (result) => result.value as Parameters<PlaidFacade['webhooks']['verify']>[0],
    );
    const refusal = (hook: Parameters<PlaidFacade['webhooks']['verify']>[0] | undefined) =>
      plaid.webhooks.verify(hook ?? { body: '', headers: {} }).then(
        () => 'verified',
        (error: WebhookVerificationError) => error.code,
      );
    expect([await refusal(wrong), await refusal(expired), await refusal(old)]).toEqual([
      'WEBHOOK_SIGNATURE_INVALID',
      'WEBHOOK_KEY_EXPIRED',
      'WEBHOOK_TOO_OLD',
    ]);
    expect(fake.webhookKeyId).not.toBe(kid);
    // The Item's error was set and cleared again: data calls work.
    await expect(plaid.getBalances({ userId: 'user-42', itemId })).resolves.toMatchObject({ source: 'live' });
  });
});

describe('the token-store contract, run as the guides show it, against a store of yours', async () => {
  const made: unknown[] = [];
  /** "Your store": a memory store that says which database it was given. */
  class MyTokenStore extends MemoryTokenStore {
    constructor(db?: unknown) {
      super();
      made.push(db);
    }
  }
  const testDb = { name: 'your test database' };

  describe('testing-contract: one test per check', async () => {
    give<import('../../docs/snippets/testing-contract.js').Given>({ MyTokenStore, it });
    await import('../../docs/snippets/testing-contract.js');
  });

  describe('token-storage-contract', async () => {
    give<import('../../docs/snippets/token-storage-contract.js').Given>({
      MyTokenStore: MyTokenStore as new (db: unknown) => TokenStore,
      testDb,
      describe,
      it,
    });
    await import('../../docs/snippets/token-storage-contract.js');
  });

  it('made a new store for each check, with the test database', () => {
    expect(made.length).toBeGreaterThan(2);
    expect(made).toContain(testDb);
  });
});
