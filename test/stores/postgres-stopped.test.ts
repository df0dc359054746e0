import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, type PlaidFacade, type PlaidFacadeEvent, TokenStoreError } from '../../src/index.js';
import { PostgresTokenStore } from '../../src/stores/postgres.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { OwnPostgres, postgresBinariesFor } from '../support/own-postgres.js';
import { settledWithin } from '../support/settled-within.js';
import { withoutProbe } from '../support/without-probe.js';

/*
 * The case of issue #12 with PostgreSQL: "a token store whose write never settles makes exchange
 * hang for ever and ignore the caller's AbortSignal (PostgreSQL backend stopped …)". A PostgreSQL
 * server of this test's own is stopped (`pg_ctl stop -m immediate`) and frozen (SIGSTOP: it
 * accepts connections and never answers, and pg has no timeout of its own by default), then
 * started again; the facade and its pg Pool are the same throughout. The shared server of
 * .ci/services.sh is never touched.
 */
const suite = 'PostgresTokenStore when PostgreSQL stops';
const binaries = postgresBinariesFor(suite);

/** The store's bound; every wait below is a generous multiple of it, for a loaded machine. */
const tokenStoreTimeoutMs = 1_000;
/** An exchange writes the token 3 times (pauses of 100 and 200 ms) before removing the Item at Plaid. */
const exchangeBoundMs = 3 * tokenStoreTimeoutMs + 300 + 15_000;
/** A read is one bounded store call. */
const readBoundMs = tokenStoreTimeoutMs + 15_000;

describe.skipIf(!binaries.ok)(suite, () => {
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
  let own: OwnPostgres | undefined;
  let pool: pg.Pool;
  let server: { url: string; close: () => Promise<void> };
  let plaid: PlaidFacade;
  const events: PlaidFacadeEvent[] = [];

  beforeAll(async () => {
    own = await OwnPostgres.start(binaries as Extract<typeof binaries, { ok: true }>);
    pool = new pg.Pool({ connectionString: own.url, max: 10 });
    // Idle connections the server drops emit 'error' on the pool: expected here.
    pool.on('error', () => {});
    const store = new PostgresTokenStore({ pool });
    await store.ensureSchema();
    server = await fake.listen();
    // One facade (and one pool) for every test: working again after a restart needs neither anew.
    plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: server.url,
      rateLimit: false,
      // Without its probe: these tests are of a store that fails after the exchange (see store-probe.test.ts).
      tokenStore: withoutProbe(store),
      tokenStoreTimeoutMs,
      onEvent: (event) => events.push(event),
    });
  }, 120_000);

  afterAll(async () => {
    own?.thaw();
    await settledWithin(plaid?.close() ?? Promise.resolve(), 30_000);
    await settledWithin(pool?.end() ?? Promise.resolve(), 30_000);
    await own?.destroy();
    await server?.close();
  }, 120_000);

  /** Exchanges a new public token and reads its balances: both must work. */
  async function linkAndRead(): Promise<string> {
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    const read = await plaid.getBalances({ userId: 'u', itemId });
    expect(read.accounts.length).toBeGreaterThan(0);
    return itemId;
  }

  /**
   * An exchange whose token the store cannot keep: it ends within its bound with
   * `TOKEN_STORE_WRITE_FAILED`, and the Item is removed at the fake Plaid.
   */
  async function exchangeThatCannotBeStored(): Promise<TokenStoreError> {
    const started = performance.now();
    const error = await settledWithin(
      plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() }),
      exchangeBoundMs,
    );
    expect(performance.now() - started).toBeLessThan(exchangeBoundMs);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED', itemRemoved: true });
    expect(fake.item((error as TokenStoreError).itemId as string).removed).toBe(true);
    return error as TokenStoreError;
  }

  it('stopped: exchange fails within its bound and removes the Item at Plaid, reads fail typed; after a restart the same facade works', async () => {
    const server = own as OwnPostgres;
    const linked = await linkAndRead();
    await server.stop();

    const error = await exchangeThatCannotBeStored();
    expect(error).toMatchObject({ retryable: false });

    // A read of an Item stored before: the store's connection error, typed and retryable.
    const read = await settledWithin(plaid.getBalances({ userId: 'u', itemId: linked }), readBoundMs);
    expect(read).toBeInstanceOf(TokenStoreError);
    expect(read).toMatchObject({ code: 'TOKEN_STORE_ERROR', retryable: true });

    await server.restart();
    await linkAndRead();
    // The Item stored before the stop is still there.
    await expect(plaid.getBalances({ userId: 'u', itemId: linked })).resolves.toMatchObject({ itemId: linked });
  }, 120_000);

  it('frozen (SIGSTOP): exchange and reads end by tokenStoreTimeoutMs, the caller’s abort is honoured; after SIGCONT the same facade works', async () => {
    const server = own as OwnPostgres;
    const linked = await linkAndRead();
    server.freeze();
    try {
      const error = await exchangeThatCannotBeStored();
      expect(error.cause).toMatchObject({ code: 'TOKEN_STORE_TIMEOUT' });

      const read = await settledWithin(plaid.getBalances({ userId: 'u', itemId: linked }), readBoundMs);
      expect(read).toBeInstanceOf(TokenStoreError);
      expect(read).toMatchObject({ code: 'TOKEN_STORE_TIMEOUT', retryable: true });

      // The caller aborts while the token's write hangs: the exchange ends with the caller's reason,
      // and the facade goes on to remove the Item at Plaid by itself.
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      events.length = 0;
      const aborted = plaid.exchange(
        { userId: 'u', publicToken: fake.createPublicToken() },
        { signal: controller.signal },
      );
      expect(await waitForEvent('response', '/item/public_token/exchange')).toBe(true);
      // (the write starts right after the answer is read; the three attempts take over 3 s)
      setTimeout(() => controller.abort(reason), 50);
      expect(await settledWithin(aborted, exchangeBoundMs)).toBe(reason);
      expect(await waitForEvent('exchange-settled')).toBe(true);
      const settled = events.find((event) => event.type === 'exchange-settled');
      expect(settled).toMatchObject({ outcome: 'removed' });
      expect(fake.item((settled as { itemId: string }).itemId).removed).toBe(true);
    } finally {
      server.thaw();
    }

    // The frozen server goes on; the writes the facade gave up on may land late, and change nothing here.
    await linkAndRead();
    await expect(plaid.getBalances({ userId: 'u', itemId: linked })).resolves.toMatchObject({ itemId: linked });
  }, 120_000);

  /** True once an event of `type` (for `endpoint`, when given) has been seen; false after `exchangeBoundMs`. */
  async function waitForEvent(type: PlaidFacadeEvent['type'], endpoint?: string): Promise<boolean> {
    const until = performance.now() + exchangeBoundMs;
    while (performance.now() < until) {
      if (events.some((event) => event.type === type && (endpoint === undefined || event.endpoint === endpoint))) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }
});
