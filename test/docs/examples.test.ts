import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../examples/express-server/index.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('examples/quickstart', () => {
  it('runs offline against the embedded fake and prints a balances table', async () => {
    const env = { ...process.env };
    delete env.PLAID_CLIENT_ID;
    delete env.PLAID_SECRET;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/quickstart/index.ts'], {
      cwd: root,
      env,
    });
    expect(stdout).toContain('Using the embedded fake Plaid at http://127.0.0.1:');
    const table = stdout.split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toMatch(
      /\|\s*Account\s*\|\s*Type\s*\|\s*Mask\s*\|\s*Available\s*\|\s*Current\s*\|\s*Limit\s*\|\s*Currency\s*\|/,
    );
    expect(table.slice(2)).toHaveLength(3);
    expect(table.find((line) => line.includes('Plaid Credit Card'))).toMatch(/410\.00\s*\|\s*2000\.00\s*\|\s*USD/);
    expect(stdout).toContain('Item removed. Done.');
  });
});

describe('examples/quickstart on failure', () => {
  it('prints one line naming the error and its fix, no stack dump', async () => {
    const { failureLine } = await import('../../examples/quickstart/failure.js');
    const { createPlaidFacade } = await import('plaid-facade');
    const { createFakePlaid } = await import('plaid-facade/testing');
    const fake = createFakePlaid({ clientId: 'demo', secret: 'the-right-secret' });
    const server = await fake.listen();
    try {
      const plaid = createPlaidFacade({ clientId: 'demo', secret: 'a-wrong-secret', basePath: server.url });
      const error = await plaid.linkToken({ userId: 'u' }).catch((e: unknown) => e);
      const line = failureLine(error);
      expect(line).toMatch(/^Demo failed: PlaidApiError INVALID_API_KEYS: .*own secret/);
      expect(line).not.toMatch(/\n\s+at /);
      await plaid.close();
    } finally {
      await server.close();
    }
    expect(failureLine(new Error('boom'))).toBe('Demo failed: boom');
  });
});

describe('examples/express-server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ fake: true });
  });
  afterAll(() => server.close());

  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function connect(): Promise<string> {
    await call('POST', '/api/link-token');
    const { body } = await call('POST', '/api/fake-link', {});
    const exchange = await call('POST', '/api/exchange', { publicToken: body.publicToken, metadata: body.metadata });
    expect(exchange.status).toBe(200);
    return exchange.body.itemId as string;
  }

  it('serves the page with the stand-in Link button and the balances table', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('data-testid="link-button"');
    expect(html).toContain('id="balances"');
    expect(html).toContain('data-testid="institution"');
    expect(html).toContain('data-testid="fetched-at"');
    expect(html).toContain('data-testid="disconnect-button"');
    expect(html).not.toContain('cdn.plaid.com');
  });

  // (Headless Chromium asks for no favicon either way, so the browser test cannot check this.)
  it('declares an empty icon, so browsers do not ask for a /favicon.ico it would answer 404', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<link rel="icon" href="data:,">');
  });

  it('creates a link token', async () => {
    const { status, body } = await call('POST', '/api/link-token');
    expect(status).toBe(200);
    expect(body.linkToken).toMatch(/^link-sandbox-/);
    expect(Number.isNaN(Date.parse(body.expiration as string))).toBe(false);
  });

  it('goes from fake Link through exchange to balances, with the institution and the fetch time', async () => {
    const before = Date.now();
    const itemId = await connect();
    const { status, body } = await call('GET', `/api/balances?itemId=${encodeURIComponent(itemId)}`);
    expect(status).toBe(200);
    expect(body.institution).toEqual({ name: 'First Platypus Bank', institution_id: 'ins_109508' });
    expect(Date.parse(body.fetchedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    const accounts = body.accounts as Array<{ name: string; balances: { current: number } }>;
    expect(accounts.map((account) => [account.name, account.balances.current])).toEqual([
      ['Plaid Checking', 110],
      ['Plaid Saving', 210],
      ['Plaid Credit Card', 410],
    ]);
  });

  it('disconnects: the Item is removed at Plaid and its balances are gone', async () => {
    const itemId = await connect();
    expect(await call('POST', '/api/disconnect', { itemId })).toEqual({ status: 200, body: { disconnected: itemId } });
    expect(server.fake?.item(itemId).removed).toBe(true);
    expect((await call('GET', `/api/balances?itemId=${encodeURIComponent(itemId)}`)).status).toBe(404);
    expect((await call('POST', '/api/disconnect', { itemId })).status).toBe(404);
    expect((await call('POST', '/api/disconnect', {})).status).toBe(400);
  });

  it('answers 400 without a public token and 404 for an Item it does not know', async () => {
    expect((await call('POST', '/api/exchange', {})).status).toBe(400);
    const unknown = await call('GET', '/api/balances?itemId=nope');
    expect(unknown).toEqual({ status: 404, body: { error: 'TOKEN_NOT_FOUND', message: 'No such bank connection.' } });
  });

  it("passes Plaid's display message on, with no internal detail", async () => {
    const itemId = await connect();
    server.fake?.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const { status, body } = await call('GET', `/api/balances?itemId=${encodeURIComponent(itemId)}`);
    expect(status).toBe(502);
    expect(body.error).toBe('ITEM_LOGIN_REQUIRED');
    expect(body.message).toMatch(/log in again/);
    expect(JSON.stringify(body)).not.toMatch(/access-sandbox|example-secret/);
  });
});
