/**
 * What a newcomer sees when the token store fails: the reason in the message (not only in
 * `error.cause`), and `retryable` true for a connection that could not be made. Through the public
 * API, with the fake Plaid on loopback and a real `pg` Pool pointed at a closed loopback port, or a
 * pool answering as PostgreSQL does for a missing table.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { createPlaidFacade, isPlaidFacadeError, type TokenStore, TokenStoreError } from 'plaid-facade';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';
import { createFakePlaid, type FakePlaidServer } from 'plaid-facade/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutProbe } from '../support/without-probe.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A pool that answers every query as PostgreSQL does when the table was never created. */
const missingTablePool = {
  query: async () => {
    throw Object.assign(new Error('relation "plaid_facade_tokens" does not exist'), { code: '42P01' });
  },
};

describe('token store failures say why', () => {
  const fake = createFakePlaid();
  let server: FakePlaidServer;
  let refusing: pg.Pool;
  const stores: Array<{ store: TokenStore; why: RegExp }> = [];

  beforeAll(async () => {
    server = await fake.listen();
    refusing = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), connectionTimeoutMillis: 5_000 });
    refusing.on('error', () => {});
    stores.push(
      { store: new PostgresTokenStore({ pool: refusing }), why: /ECONNREFUSED/ },
      {
        store: new PostgresTokenStore({ pool: missingTablePool }),
        why: /does not exist \(call ensureSchema\(\) first\)/,
      },
    );
  });
  afterAll(async () => {
    await refusing.end();
    await server.close();
  });

  const facade = (tokenStore: TokenStore) =>
    createPlaidFacade({ clientId: 'id', secret: 'secret-value', basePath: server.url, tokenStore });

  it('a refused PostgreSQL connection is a retryable TokenStoreError naming ECONNREFUSED', async () => {
    const plaid = facade(new PostgresTokenStore({ pool: refusing }));
    const error = await plaid.getBalances({ userId: 'u1', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_ERROR', retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    await plaid.close();
  });

  it('a missing table is not retryable, and the message says to call ensureSchema()', async () => {
    const plaid = facade(new PostgresTokenStore({ pool: missingTablePool }));
    const error = await plaid.getBalances({ userId: 'u1', itemId: 'item-1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_ERROR', retryable: false });
    expect((error as Error).message).toMatch(/does not exist \(call ensureSchema\(\) first\)/);
    await plaid.close();
  });

  it.each([
    ['refused connection', 0],
    ['missing table', 1],
  ])('TOKEN_STORE_WRITE_FAILED after an exchange carries the reason (%s), and no token', async (_, index) => {
    const { store, why } = stores[index] ?? { store: undefined, why: /never/ };
    // The store fails after the exchange (as if it died after exchange's probe, which would refuse first).
    const plaid = facade(withoutProbe(store as TokenStore));
    const publicToken = fake.createPublicToken();
    const error = await plaid.exchange({ userId: 'u1', publicToken }).catch((e: unknown) => e);
    expect(isPlaidFacadeError(error) && error.code).toBe('TOKEN_STORE_WRITE_FAILED');
    const message = (error as Error).message;
    expect(message).toMatch(why);
    expect(message).toMatch(/removed at Plaid/);
    const accessToken = fake.items.at(-1)?.accessToken ?? 'missing';
    expect(message).not.toContain(accessToken);
    expect(message).not.toContain(publicToken);
    expect(message).not.toContain('secret-value');
    await plaid.close();
  });
});
