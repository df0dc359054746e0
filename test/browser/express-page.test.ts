/**
 * The Express example's page in a real browser (Debian's Chromium through playwright-core),
 * against the embedded fake Plaid: link token → stand-in Link → exchange → balances table.
 * Every request to a host other than loopback is aborted, so the test never touches the network;
 * page errors and console errors fail it. Leaves a screenshot in `test-results/express-page.png`.
 */
import { join } from 'node:path';
import type { ConsoleMessage, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../examples/express-server/index.js';
import { chromiumExecutable, isLoopbackUrl, type LaunchedBrowser, launchChromium } from './chromium.js';

const suite = 'test/browser/express-page';
const executablePath = chromiumExecutable(suite);
const screenshotPath = join(import.meta.dirname, '..', '..', 'test-results', 'express-page.png');

/** What a page did that a test checks afterwards. */
interface PageRecord {
  errors: string[];
  consoleErrors: string[];
  failedRequests: string[];
  apiCalls: string[];
}

describe.skipIf(executablePath === undefined)('examples/express-server page in Chromium', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  const blocked: string[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    server = await startServer({ fake: true });
    browser = await launchChromium(executablePath ?? '');
    // Nothing leaves the machine: any request whose host is not loopback is aborted (and noted).
    await browser.context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLoopbackUrl(url)) {
        await route.continue();
      } else {
        blocked.push(url);
        await route.abort('blockedbyclient');
      }
    });
  });

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    expect(blocked.splice(0), 'requests to non-loopback hosts').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A new tab on the example's page, recording errors, failed requests and the API calls made. */
  async function openPage(): Promise<{ page: Page; record: PageRecord }> {
    const page = await browser.context.newPage();
    pages.push(page);
    const record: PageRecord = { errors: [], consoleErrors: [], failedRequests: [], apiCalls: [] };
    page.on('pageerror', (error: Error) => record.errors.push(error.message));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') record.consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('requestfailed', (request: Request) => {
      record.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? '?'}`);
    });
    page.on('request', (request: Request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) record.apiCalls.push(`${request.method()} ${pathname}`);
    });
    const response = await page.goto(server.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    return { page, record };
  }

  /** The text of every cell of the balances table, row by row. */
  async function tableCells(page: Page): Promise<string[][]> {
    const rows = await page.getByTestId('balances').locator('tbody tr').all();
    return Promise.all(rows.map(async (row) => (await row.locator('td').allTextContents()).map((text) => text.trim())));
  }

  it('clicks through the stand-in Link and shows the fake accounts with their balances', async () => {
    const started = performance.now();
    const { page, record } = await openPage();

    await expect(page.title()).resolves.toBe('plaid-facade example');
    const button = page.getByTestId('link-button');
    expect(await button.textContent()).toBe('Connect a bank (fake Link)');
    expect(await page.getByTestId('status').textContent()).toBe('Not connected.');
    expect(await page.getByTestId('balances').isHidden()).toBe(true);

    await button.click();
    await page.getByTestId('status').filter({ hasText: 'Connected: 3 accounts.' }).waitFor({ timeout: 10_000 });

    expect(record.apiCalls).toEqual([
      // On load: the user's banks from the store (none yet).
      'GET /api/items',
      'POST /api/link-token',
      'POST /api/fake-link',
      'POST /api/exchange',
      'GET /api/balances',
      'GET /api/items',
    ]);
    expect(await page.getByTestId('balances').isVisible()).toBe(true);
    // A healthy Item: no "reconnect".
    expect(await page.getByTestId('reconnect').isVisible()).toBe(false);
    const headers = await page.getByTestId('balances').locator('thead th').allTextContents();
    expect(headers).toEqual(['Account', 'Mask', 'Available', 'Current', 'Limit', 'Currency']);
    expect(await tableCells(page)).toEqual([
      ['Plaid Checking', '0000', '100.00', '110.00', '—', 'USD'],
      ['Plaid Saving', '1111', '200.00', '210.00', '—', 'USD'],
      ['Plaid Credit Card', '3333', '—', '410.00', '2000.00', 'USD'],
    ]);
    // The data-testids the page promises, per cell.
    const creditCard = page.getByTestId('balance-row').filter({ hasText: 'Plaid Credit Card' });
    expect(await creditCard.getByTestId('balance-current').textContent()).toBe('410.00');
    expect(await creditCard.getByTestId('balance-limit').textContent()).toBe('2000.00');
    // The bank the user picked in Link, and when the balances were fetched.
    expect(await page.getByTestId('institution').textContent()).toBe('First Platypus Bank');
    const fetchedAt = await page.getByTestId('fetched-at').getAttribute('datetime');
    expect(Date.now() - Date.parse(fetchedAt ?? '')).toBeLessThan(60_000);
    expect((await page.getByTestId('fetched-at').textContent())?.trim()).not.toBe('');
    expect(await page.getByTestId('disconnect-button').isVisible()).toBe(true);

    await page.screenshot({ path: screenshotPath, fullPage: true });

    expect(record.errors, 'page errors').toEqual([]);
    expect(record.consoleErrors, 'console errors').toEqual([]);
    expect(record.failedRequests, 'failed requests').toEqual([]);
    console.info(
      `${suite}: clicked through in ${Math.round(performance.now() - started)} ms; screenshot at ${screenshotPath}`,
    );
  });

  it('disconnects the bank: the Item is removed at Plaid and the page is back to "Link"', async () => {
    const { page, record } = await openPage();
    await page.getByTestId('link-button').click();
    const status = page.getByTestId('status');
    await status.filter({ hasText: 'Connected: 3 accounts.' }).waitFor({ timeout: 10_000 });
    // The same bank again is the Item the first test linked (the duplicate guard): read it from the store.
    const itemId = await page.evaluate(
      async () =>
        ((await (await fetch('/api/items')).json()) as { items: Array<{ itemId: string }> }).items[0]?.itemId ?? '',
    );

    await page.getByTestId('disconnect-button').click();
    await status.filter({ hasText: 'Disconnected.' }).waitFor({ timeout: 10_000 });

    expect(record.apiCalls.at(-1)).toBe('POST /api/disconnect');
    expect(server.fake?.item(itemId).removed).toBe(true);
    expect(await page.getByTestId('balances').isHidden()).toBe(true);
    expect(await page.getByTestId('connection').isHidden()).toBe(true);
    expect(await page.getByTestId('link-button').isVisible()).toBe(true);
    expect(record.errors, 'page errors').toEqual([]);
    expect(record.consoleErrors, 'console errors').toEqual([]);
    expect(record.failedRequests, 'failed requests').toEqual([]);
  });

  it('aborts a request to a host other than loopback before it leaves the browser', async () => {
    const { page, record } = await openPage();
    const target = 'http://plaid-facade.invalid/never';
    const outcome = await page.evaluate(async (url) => {
      try {
        await fetch(url, { mode: 'no-cors' });
        return 'fetched';
      } catch (error) {
        return error instanceof Error ? error.name : 'error';
      }
    }, target);
    // Taken out of `blocked` at once: afterEach requires every other test to have made none.
    expect(blocked.splice(0)).toEqual([target]);
    expect(outcome).toBe('TypeError');
    expect(record.failedRequests).toEqual([
      expect.stringMatching(/^GET http:\/\/plaid-facade\.invalid\/never: net::ERR_BLOCKED_BY_CLIENT/),
    ]);
    expect(record.errors, 'page errors').toEqual([]);
  });

  it("shows Plaid's display message, and no table, when the balance read fails; the bank stays, with Reconnect", async () => {
    const { page, record } = await openPage();
    server.fake?.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');

    await page.getByTestId('link-button').click();
    const status = page.getByTestId('status');
    await status.filter({ hasText: /^Error: / }).waitFor({ timeout: 10_000 });

    expect(await status.textContent()).toMatch(/^Error: .*log in again/);
    expect(await status.getAttribute('data-state')).toBe('error');
    expect(await page.getByTestId('balances').isHidden()).toBe(true);
    // The linked bank is still there, its balances said to be unavailable; one primary action: Reconnect.
    expect(await page.getByTestId('connection').isVisible()).toBe(true);
    expect(await page.getByTestId('institution').textContent()).toBe('First Platypus Bank');
    expect(await page.getByTestId('unavailable').isVisible()).toBe(true);
    expect(await page.getByTestId('fetched').isHidden()).toBe(true);
    expect(await page.getByTestId('reconnect-button').isVisible()).toBe(true);
    expect(await page.getByTestId('link-button').isHidden()).toBe(true);
    expect(await status.textContent()).not.toMatch(/access-sandbox|example-secret|ITEM_LOGIN_REQUIRED/);
    expect(record.errors, 'page errors').toEqual([]);
    // The only console error is Chromium's own note of the 502 answer.
    expect(record.consoleErrors).toEqual([expect.stringMatching(/status of 502 .*\/api\/balances\?itemId=/)]);
    // Disconnected, so that the next test links this bank afresh (the duplicate guard would hand back this Item).
    await page.getByTestId('disconnect-button').click();
    await status.filter({ hasText: 'Disconnected.' }).waitFor({ timeout: 10_000 });
  });

  it('keeps the bank, with Disconnect and without Reconnect, when a read fails for another reason', async () => {
    const { page, record } = await openPage();
    // Not the user's to fix (and not retried): Reconnect would not help.
    server.fake?.failNext('/accounts/balance/get', 'PRODUCTS_NOT_SUPPORTED');

    await page.getByTestId('link-button').click();
    const status = page.getByTestId('status');
    await status.filter({ hasText: /^Error: / }).waitFor({ timeout: 10_000 });

    expect(await page.getByTestId('connection').isVisible()).toBe(true);
    expect(await page.getByTestId('institution').textContent()).toBe('First Platypus Bank');
    expect(await page.getByTestId('unavailable').isVisible()).toBe(true);
    expect(await page.getByTestId('disconnect-button').isVisible()).toBe(true);
    expect(await page.getByTestId('reconnect').isHidden()).toBe(true);
    expect(await page.getByTestId('link-button').isHidden()).toBe(true);
    expect(await page.getByTestId('balances').isHidden()).toBe(true);
    expect(record.errors, 'page errors').toEqual([]);

    // Disconnecting still works from there, and gives "Connect" back.
    await page.getByTestId('disconnect-button').click();
    await status.filter({ hasText: 'Disconnected.' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('link-button').isVisible()).toBe(true);
  });

  it('offers "Reconnect" when the Item needs its user, and reconnects it through update mode', async () => {
    const { page, record } = await openPage();
    // The first balance read says the bank wants a new login: the facade marks the Item.
    server.fake?.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    await page.getByTestId('link-button').click();
    await page.getByTestId('reconnect').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('health').textContent()).toBe('login required');

    await page.getByTestId('reconnect-button').click();
    await page.getByTestId('status').filter({ hasText: 'Connected: 3 accounts.' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('reconnect').isHidden()).toBe(true);
    expect(record.apiCalls).toEqual(
      expect.arrayContaining(['POST /api/fake-relink', 'POST /api/reconnected', 'GET /api/items']),
    );
    const updateMode = server.fake?.callsTo('/link/token/create').at(-1)?.body as Record<string, unknown>;
    expect(updateMode.access_token).toMatch(/^access-/);
    expect(record.errors, 'page errors').toEqual([]);
  });

  it('reloads mid-link (the exchange never reached the server) and still ends with exactly one Item', async () => {
    const { page, record } = await openPage();
    // Start from no bank: disconnect what the tests before linked.
    await page.evaluate(async () => {
      const { items } = (await (await fetch('/api/items')).json()) as { items: Array<{ itemId: string }> };
      for (const item of items) {
        await fetch('/api/disconnect', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ itemId: item.itemId }),
        });
      }
    });
    const exchanges = () => server.fake?.callsTo('/item/public_token/exchange').length ?? 0;
    const before = exchanges();
    // Link ends at Plaid, then the page goes away before its exchange reaches the server.
    await page.route('**/api/exchange', (route) => route.abort());
    await page.getByTestId('link-button').click();
    await page
      .getByTestId('status')
      .filter({ hasText: /^Error: / })
      .waitFor({ timeout: 10_000 });
    await page.unroute('**/api/exchange');
    expect(exchanges()).toBe(before);

    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('status').filter({ hasText: 'Connected: 3 accounts.' }).waitFor({ timeout: 10_000 });
    expect(record.apiCalls).toContain('POST /api/complete-link');
    expect(await page.getByTestId('item').count()).toBe(1);
    // A second reload finds nothing left to complete and the one Item still there.
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('item').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('item').count()).toBe(1);
    expect(exchanges()).toBe(before + 1);
    const items = await page.evaluate(
      async () => ((await (await fetch('/api/items')).json()) as { items: unknown[] }).items.length,
    );
    expect(items).toBe(1);
    expect(record.errors, 'page errors').toEqual([]);
  });
});
