import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, type PlaidFacade, type PlaidFacadeEvent, TokenStoreError } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { OwnPostgres, postgresBinariesFor } from '../support/own-postgres.js';

/*
 * Issue #21: "a store write that timed out lands later". PostgreSQL (a server of this test's own)
 * is frozen (SIGSTOP) during an exchange's write: the caller is told TOKEN_STORE_WRITE_FAILED with
 * the Item removed at Plaid; then the server thaws and the "failed" write may commit. The facade
 * must treat it as possibly applied: delete the record once the write settled, and never list it,
 * serve it, or refuse the user's new link as a duplicate of it.
 */
const suite = 'An exchange write that timed out, then landed (PostgreSQL frozen, then thawed)';
const binaries = postgresBinariesFor(suite);

const tokenStoreTimeoutMs = 1_000;
/** Three bounded writes, the removal at Plaid, and a loaded machine. */
const exchangeBoundMs = 3 * tokenStoreTimeoutMs + 300 + 15_000;
/** The reconciliation waits up to four store bounds for the writes, then deletes. */
const reconcileBoundMs = 4 * tokenStoreTimeoutMs + 15_000;

describe.skipIf(!binaries.ok)(suite, () => {
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
  let own: OwnPostgres | undefined;
  let pool: pg.Pool;
  let store: PostgresTokenStore;
  let server: { url: string; close: () => Promise<void> };
  let plaid: PlaidFacade;
  const events: PlaidFacadeEvent[] = [];
  let freezeNow: (() => void) | undefined;

  beforeAll(async () => {
    own = await OwnPostgres.start(binaries as Extract<typeof binaries, { ok: true }>);
    pool = new pg.Pool({ connectionString: own.url, max: 10 });
    pool.on('error', () => {});
    store = new PostgresTokenStore({ pool });
    await store.ensureSchema();
    server = await fake.listen();
    plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: server.url,
      rateLimit: false,
      tokenStore: store,
      tokenStoreTimeoutMs,
      onEvent: (event) => {
        events.push(event);
        // Frozen once the duplicate guard has listed the user's Items: the exchange's write hangs.
        if (event.type === 'request' && event.endpoint === '/item/public_token/exchange') freezeNow?.();
      },
    });
  }, 120_000);

  afterAll(async () => {
    own?.thaw();
    await plaid?.close();
    await pool?.end();
    await own?.destroy();
    await server?.close();
  }, 120_000);

  it(
    'the record of the removed Item is deleted, never listed, and relinking is not refused as DUPLICATE_ITEM',
    async () => {
      const postgres = own as OwnPostgres;
      // A connection the pool holds before the freeze: the write goes to a backend that hangs, then commits.
      await plaid.listItems({ userId: 'u' });
      const first = fake.completeLink({ institutionId: 'ins_109508' });
      freezeNow = () => {
        freezeNow = undefined;
        postgres.freeze();
      };
      let error: unknown;
      try {
        error = await plaid.exchange({ userId: 'u', publicToken: first.publicToken, metadata: first.metadata }).then(
          () => undefined,
          (e: unknown) => e,
        );
      } finally {
        postgres.thaw();
      }
      expect(error).toBeInstanceOf(TokenStoreError);
      expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED', itemRemoved: true });
      const removedItemId = (error as TokenStoreError).itemId as string;
      expect(fake.item(removedItemId).removed).toBe(true);

      // Never listed nor served, from the moment the caller was told.
      expect((await plaid.listItems({ userId: 'u' })).map((item) => item.itemId)).not.toContain(removedItemId);
      await expect(plaid.getBalances({ userId: 'u', itemId: removedItemId })).rejects.toMatchObject({
        code: 'TOKEN_NOT_FOUND',
      });

      // Reconciled in the background, once the writes settled: the record is gone from the store itself.
      await expect
        .poll(() => events.find((event) => event.type === 'record-reconciled'), { timeout: reconcileBoundMs })
        .toMatchObject({ itemId: removedItemId, outcome: 'deleted' });
      expect(await store.get({ userId: 'u', itemId: removedItemId })).toBeUndefined();
      // A facade that never saw the exchange (another process) sees nothing of it either.
      const other = createPlaidFacade({
        clientId: 'id',
        secret: 'secret-xyz-123',
        basePath: server.url,
        tokenStore: store,
      });
      expect(await other.listItems({ userId: 'u' })).toEqual([]);
      await other.close();

      // The user links the same bank again, as the error advised: not a duplicate of the removed Item.
      const again = fake.completeLink({ institutionId: 'ins_109508' });
      const relinked = await plaid.exchange({ userId: 'u', publicToken: again.publicToken, metadata: again.metadata });
      expect(relinked.itemId).not.toBe(removedItemId);
      expect((await plaid.listItems({ userId: 'u' })).map((item) => item.itemId)).toEqual([relinked.itemId]);
    },
    exchangeBoundMs + reconcileBoundMs + 30_000,
  );
});
