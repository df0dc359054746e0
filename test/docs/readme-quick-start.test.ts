/**
 * Runs the README's Quick start (docs/snippets/readme.ts, equal to the README's block) as a user
 * would: a module with its settings in the environment, a real PostgreSQL, and Plaid played by the
 * fake through msw (which intercepts https://sandbox.plaid.com, so the snippet needs no basePath).
 */
import { randomBytes } from 'node:crypto';
import { setupServer } from 'msw/node';
import pg from 'pg';
import { createFakePlaid } from 'plaid-facade/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serviceUrl } from '../support/services.js';

const url = serviceUrl('postgres', 'README quick start');
type QuickStart = typeof import('../../docs/snippets/readme.js');

describe.skipIf(!url)('the README quick start, against the fake Plaid and a real PostgreSQL', () => {
  const fake = createFakePlaid();
  const msw = setupServer(...fake.handlers);
  // Its own schema, so the snippet's default table name cannot meet another test's.
  const schema = `pf_readme_${randomBytes(6).toString('hex')}`;
  let admin: pg.Pool;

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: url });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    msw.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  function setEnvironment(): void {
    vi.stubEnv('DATABASE_URL', `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
    vi.stubEnv('PLAID_CLIENT_ID', 'quick-start-client');
    vi.stubEnv('PLAID_SECRET', 'quick-start-secret');
    vi.stubEnv('PLAID_ENV', 'sandbox');
    vi.stubEnv('PLAID_TOKEN_KEY_2025_01', randomBytes(32).toString('base64'));
  }

  it('creates its table, links an Item, keeps the token encrypted and prints the balances', async () => {
    setEnvironment();
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    const quickStart: QuickStart = await import('../../docs/snippets/readme.js');
    try {
      expect(await quickStart.createLinkToken('user-42')).toMatch(/^link-sandbox-/);
      const itemId = await quickStart.connectBank('user-42', fake.createPublicToken());
      await quickStart.printBalances('user-42', itemId);
      expect(printed).toEqual([
        ['Plaid Checking', 100, 'USD'],
        ['Plaid Saving', 200, 'USD'],
        ['Plaid Credit Card', null, 'USD'],
      ]);
      const { rows } = await admin.query(`SELECT item_id, access_token FROM "${schema}".plaid_facade_tokens`);
      expect(rows).toEqual([{ item_id: itemId, access_token: expect.stringMatching(/^pfenc:v1:2025-01:/) }]);
    } finally {
      await quickStart.shutdown();
    }
  });

  it('works as printed for a Capital One credit card (no real-time balance: the default maxBalanceAgeMs)', async () => {
    setEnvironment();
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    const quickStart: QuickStart = await import('../../docs/snippets/readme.js');
    try {
      const itemId = await quickStart.connectBank('user-43', fake.createPublicToken({ institutionId: 'ins_128026' }));
      await quickStart.printBalances('user-43', itemId);
      expect(printed.map(([name]) => name)).toContain('Plaid Credit Card');
      const [read] = fake.callsTo('/accounts/balance/get').slice(-1);
      expect(read?.body?.options).toMatchObject({ min_last_updated_datetime: expect.any(String) });
    } finally {
      await quickStart.shutdown();
    }
  });

  it('names the setting that is missing: its own, or a Plaid credential', async () => {
    setEnvironment();
    vi.stubEnv('PLAID_TOKEN_KEY_2025_01', '');
    await expect(import('../../docs/snippets/readme.js')).rejects.toThrow(
      'Set PLAID_TOKEN_KEY_2025_01 in the environment',
    );
    vi.resetModules();
    setEnvironment();
    vi.stubEnv('PLAID_SECRET', '');
    await expect(import('../../docs/snippets/readme.js')).rejects.toThrow(/PLAID_SECRET/);
  });
});
