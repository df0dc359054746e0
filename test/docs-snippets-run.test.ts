/**
 * Runs the guides' snippets that are whole programs (docs/snippets/*.ts without `declare`d values),
 * against the fake Plaid or the mock facade, and checks what their comments promise. The README's
 * Quick start and the msw setup have their own tests (readme-quick-start, docs-testing).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PlaidApiError } from 'plaid-facade';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceUrl } from './support/services.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('guide snippets, run', () => {
  it('getting-started-offline: links an Item on the fake over HTTP and prints its balances', async () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((value: unknown) => void printed.push(value));
    await import('../docs/snippets/getting-started-offline.js');
    expect(printed).toHaveLength(1);
    expect((printed[0] as { accounts: unknown[] }).accounts).toHaveLength(3);
  });

  it('testing-mock: records the call as its comment says', async () => {
    const { plaid } = await import('../docs/snippets/testing-mock.js');
    expect(plaid.calls.getBalances).toEqual([[{ userId: 'u1', itemId: 'i1' }, undefined]]);
  });

  it('testing-mock-failure: the mock rejects with the PlaidApiError for ITEM_LOGIN_REQUIRED', async () => {
    const { plaid } = await import('../docs/snippets/testing-mock-failure.js');
    const error = await plaid.getBalances({ userId: 'u1', itemId: 'i1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED', status: 400, retryable: false });
  });

  it('testing-serve-listen: serves the fake on loopback and closes it', async () => {
    await expect(import('../docs/snippets/testing-serve-listen.js')).resolves.toBeDefined();
  });

  const url = serviceUrl('postgres', 'docs snippet token-storage-postgres');
  it.skipIf(!url)('token-storage-postgres: creates its table and keeps a token', async () => {
    const schema = `pf_snippet_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: url });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    try {
      vi.stubEnv('DATABASE_URL', `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      const { pool, store } = await import('../docs/snippets/token-storage-postgres.js');
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
