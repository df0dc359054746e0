/**
 * Runs the guide snippets (docs/snippets/*.ts) that create their own facade or official client, as
 * the guides show them: for Plaid's own hosts (https://sandbox.plaid.com, https://production.plaid.com),
 * with credentials from the environment or "your configuration", and checks what their comments
 * promise. msw answers those hosts with the fake Plaid (as docs/testing.md sets it up), so nothing
 * leaves the machine; the Redis snippets use the real Redis of PLAID_FACADE_REDIS_URL (skipped with
 * a printed reason locally, failing under CI). How the fragments get their values: see
 * test/docs-snippets-run.test.ts, which runs the snippets that are handed a facade.
 *
 * The guides' code creates facades, ioredis clients and instrumentations it never closes (the
 * guides show set-up, not shutdown): the mocks below only record them, and everything recorded is
 * closed after each test, with every module imported afresh for the next. pino and the OTLP
 * exporters, which this repository does not install (docs/snippets/third-party.d.ts), are tiny
 * stand-ins that record what they are given.
 */
import { randomBytes } from 'node:crypto';
import diagnostics, { type TracingChannel } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { context, createContextKey, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Redis as RedisClient } from 'ioredis';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import type { PlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { give } from '../../docs/snippets/given.js';
import { serviceUrl } from '../support/services.js';

type Line = { level: string; fields: Record<string, unknown>; message: string | undefined };
type ExporterRecord = { kind: 'traces' | 'metrics'; config: unknown; exported: number; shutDown: boolean };

/** What the snippets made, recorded by the mocks below; emptied (and closed) after each test. */
const made = vi.hoisted(() => ({
  facades: [] as Array<{ close(): Promise<void> }>,
  redis: [] as Array<{ disconnect(): void }>,
  instrumentations: [] as Array<{ options: unknown; disabled: boolean; disable(): void }>,
  loggers: [] as Array<{ options: unknown; lines: Line[] }>,
  exporters: [] as ExporterRecord[],
}));

// Record every facade, Redis client and instrumentation the snippets create, unchanged otherwise.
vi.mock('plaid-facade', async (importOriginal) => {
  const actual = await importOriginal<typeof import('plaid-facade')>();
  const createPlaidFacade: typeof actual.createPlaidFacade = (options) => {
    const facade = actual.createPlaidFacade(options);
    made.facades.push(facade);
    return facade;
  };
  return { ...actual, createPlaidFacade };
});
vi.mock('ioredis', async (importOriginal) => {
  const actual = await importOriginal<typeof import('ioredis')>();
  class Redis extends actual.Redis {
    // biome-ignore lint/suspicious/noExplicitAny: ioredis' constructor overloads, passed through as they are
    constructor(...args: any[]) {
      super(...(args as []));
      made.redis.push(this);
    }
  }
  return { ...actual, Redis, default: Redis };
});
vi.mock('plaid-facade/otel', async (importOriginal) => {
  const actual = await importOriginal<typeof import('plaid-facade/otel')>();
  const instrumentPlaidFacade: typeof actual.instrumentPlaidFacade = (options) => {
    const instrumentation = actual.instrumentPlaidFacade(options);
    const record = {
      options,
      disabled: false,
      disable() {
        record.disabled = true;
        instrumentation.disable();
      },
    };
    made.instrumentations.push(record);
    return record;
  };
  return { ...actual, instrumentPlaidFacade };
});

// Stand-ins for the packages the observability guide uses and this repository does not install.
vi.mock('pino', () => ({
  default: (options?: unknown) => {
    const logger = { options, lines: [] as Line[] };
    made.loggers.push(logger);
    const at = (level: string) => (fields: Record<string, unknown>, message?: string) =>
      void logger.lines.push({ level, fields, message });
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  },
}));
function standInExporter(kind: ExporterRecord['kind']) {
  return class {
    readonly record: ExporterRecord;
    constructor(config?: unknown) {
      this.record = { kind, config, exported: 0, shutDown: false };
      made.exporters.push(this.record);
    }
    export(items: unknown[] | { scopeMetrics: unknown[] }, done: (result: { code: number }) => void): void {
      this.record.exported += Array.isArray(items) ? items.length : items.scopeMetrics.length;
      done({ code: 0 }); // ExportResultCode.SUCCESS
    }
    async forceFlush(): Promise<void> {}
    async shutdown(): Promise<void> {
      this.record.shutDown = true;
    }
  };
}
vi.mock('@opentelemetry/exporter-trace-otlp-http', () => ({ OTLPTraceExporter: standInExporter('traces') }));
vi.mock('@opentelemetry/exporter-metrics-otlp-http', () => ({ OTLPMetricExporter: standInExporter('metrics') }));

const fake = createFakePlaid();
const server = setupServer(...fake.handlers);
/** The host of every request msw answered during the test. */
const hosts: string[] = [];
server.events.on('request:start', ({ request }) => void hosts.push(new URL(request.url).host));
const credentials = { clientId: 'docs-client', secret: 'docs-secret' };
const redisUrl = serviceUrl('redis', 'docs snippets over Redis');

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  vi.stubEnv('PLAID_CLIENT_ID', credentials.clientId);
  vi.stubEnv('PLAID_SECRET', credentials.secret);
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  for (const instrumentation of made.instrumentations.splice(0)) {
    if (!instrumentation.disabled) instrumentation.disable();
  }
  await Promise.all(made.facades.splice(0).map((facade) => facade.close()));
  for (const client of made.redis.splice(0)) client.disconnect();
  made.loggers.length = 0;
  made.exporters.length = 0;
  hosts.length = 0;
  server.resetHandlers();
  fake.reset();
  vi.resetModules(); // each test imports its snippet afresh: top-level code runs again
});
afterAll(() => server.close());

/** What a console method printed during the test, one array of arguments per call. */
function printed(method: 'log' | 'info' | 'warn' | 'error' = 'log'): unknown[][] {
  const lines: unknown[][] = [];
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args));
  return lines;
}

/** A client of the real Redis for the test's own checks (closed after the test). */
async function redisAdmin(): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  return new Redis(redisUrl ?? '');
}

/** Keys of the real Redis matching `pattern`. */
async function keys(admin: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/**
 * Runs `scenario` against the real Redis, and again (at most three times in all) when Redis lost
 * every key while it ran: test/rate-limit/redis-faults.test.ts sends FLUSHALL, maybe meanwhile.
 */
async function despiteFlushes(admin: RedisClient, scenario: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const sentinel = `plaid-facade-docs-sentinel:${randomBytes(6).toString('hex')}`;
    await admin.set(sentinel, '1', 'PX', 60_000);
    try {
      await scenario();
      return;
    } catch (error) {
      if (attempt >= 3 || (await admin.exists(sentinel)) === 1) throw error;
    } finally {
      await admin.del(sentinel);
    }
  }
}

/** A message of `plaid-facade:rate-limit`: an attempt enters the limiter, then is admitted or turned away. */
type LimiterMessage = { callId: string; endpoint: string; phase: 'wait' | 'admitted' | 'rejected' };

/** Every `plaid-facade:rate-limit` message during the test; `next` resolves with the next one that `matches`. */
function rateLimitMessages() {
  const messages: LimiterMessage[] = [];
  const waiters: Array<{ matches: (message: LimiterMessage) => boolean; resolve: (m: LimiterMessage) => void }> = [];
  const onMessage = (message: unknown) => {
    const typed = message as LimiterMessage;
    messages.push(typed);
    for (const waiter of waiters.filter((w) => w.matches(typed))) waiter.resolve(typed);
  };
  diagnostics.subscribe('plaid-facade:rate-limit', onMessage);
  onTestFinished(() => void diagnostics.unsubscribe('plaid-facade:rate-limit', onMessage));
  return {
    messages,
    /** The phases the call went through. */
    phasesOf: (callId: string) => messages.filter((m) => m.callId === callId).map((m) => m.phase),
    next: (matches: (message: LimiterMessage) => boolean) =>
      new Promise<LimiterMessage>((resolve) => waiters.push({ matches, resolve })),
  };
}

describe('getting-started', () => {
  it('#create and #flow: a sandbox facade from the environment links an Item and reads its balances', async () => {
    const snippet = await import('../../docs/snippets/getting-started.js');
    const { linkToken, expiration, itemId, accounts, fetchedAt } = await snippet.flow(fake.createPublicToken());
    expect(linkToken).toMatch(/^link-sandbox-/);
    expect(expiration.getTime()).toBeGreaterThan(Date.now());
    expect(fake.item(itemId).removed).toBe(false);
    expect(accounts).toHaveLength(3);
    expect(fetchedAt).toBeInstanceOf(Date);
    expect(new Set(hosts)).toEqual(new Set(['sandbox.plaid.com']));
    expect(new Set(fake.calls.map((call) => call.clientId))).toEqual(new Set([credentials.clientId]));
  });

  it('#call-options: the read answers within its signal, and a failure is not retried', async () => {
    const snippet = await import('../../docs/snippets/getting-started.js');
    const { itemId } = await snippet.flow(fake.createPublicToken());
    await expect(snippet.callOptions('user-42', itemId)).resolves.toBeUndefined();
    fake.failNext('/accounts/balance/get', 'INTERNAL_SERVER_ERROR');
    const before = fake.callsTo('/accounts/balance/get').length;
    await expect(snippet.callOptions('user-42', itemId)).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(fake.callsTo('/accounts/balance/get')).toHaveLength(before + 1);
  });
});

describe('balances: the facades the guide creates', () => {
  it('#cost-events: one billed event per billed call; shared, cached and free reads cost nothing', async () => {
    const { costEvents } = await import('../../docs/snippets/balances.js');
    const { metered, billed } = costEvents();
    const { itemId } = await metered.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    const read = { userId: 'user-42', itemId };
    await Promise.all([metered.getBalances(read), metered.getBalances(read)]); // shared: one call
    await metered.getBalances({ ...read, maxAgeMs: 60_000 }); // live, and kept
    expect((await metered.getBalances({ ...read, maxAgeMs: 60_000 })).source).toBe('cache');
    await metered.getAccounts(read); // free
    expect(billed()).toBe(2);
    expect(fake.billedCalls).toBe(2);
  });

  it.skipIf(!redisUrl)('#redis-cache: reads are kept in Redis, under the prefix, for maxAgeMs', async () => {
    vi.stubEnv('REDIS_URL', redisUrl ?? '');
    const { redisCache } = await import('../../docs/snippets/balances.js');
    const shared = redisCache();
    const admin = await redisAdmin();
    await despiteFlushes(admin, async () => {
      const { itemId } = await shared.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
      const read = { userId: 'user-42', itemId, maxAgeMs: 60_000 };
      const first = await shared.getBalances(read);
      // `myapp:balances:{<read key>}` (a Cluster hash tag); written in the background, so waited for.
      const key = await vi.waitFor(
        async () => {
          const found = (await keys(admin, 'myapp:balances:{*')).filter(
            (name) => name.includes(`user-42%3A${itemId}`) && !name.endsWith(':lease'),
          );
          expect(found).toHaveLength(1);
          return found[0];
        },
        { timeout: 5_000, interval: 20 },
      );
      const ttl = await admin.pttl(key ?? '');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      const again = await shared.getBalances(read);
      expect([first.source, again.source]).toEqual(['live', 'cache']);
      expect(again.fetchedAt).toEqual(first.fetchedAt);
      await admin.del(key ?? ''); // gone from Redis: the next read is live again
      expect((await shared.getBalances(read)).source).toBe('live');
    });
  });

  it('#capital-one: Capital One reads accept a 3-hour-old balance; other institutions are read as asked', async () => {
    const { capitalOne } = await import('../../docs/snippets/balances.js');
    const withCapitalOne = capitalOne();
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
    const card = await withCapitalOne.exchange({
      userId: 'user-42',
      publicToken: fake.createPublicToken({
        institutionId: 'ins_128026',
        accounts: [{ name: 'Card', type: 'credit', balances: { current: 5, last_updated_datetime: twoHoursAgo } }],
      }),
    });
    const platypus = await withCapitalOne.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    const { accounts } = await withCapitalOne.getBalances({ userId: 'user-42', itemId: card.itemId });
    expect(accounts[0]?.balances.lastUpdated?.toISOString()).toBe(twoHoursAgo);
    await withCapitalOne.getBalances({ userId: 'user-42', itemId: platypus.itemId });
    const [cardRead, platypusRead] = fake
      .callsTo('/accounts/balance/get')
      .map((call) => call.body as { options?: { min_last_updated_datetime?: string } });
    const since = Date.parse(cardRead?.options?.min_last_updated_datetime ?? '');
    expect(Math.abs(Date.now() - 3 * 60 * 60 * 1000 - since)).toBeLessThan(60 * 1000);
    expect(platypusRead?.options?.min_last_updated_datetime).toBeUndefined();
  });
});

describe('migrating', () => {
  /** "Your database" of the before snippet: a Map. */
  function database() {
    const rows = new Map<string, string>();
    return {
      rows,
      db: {
        saveAccessToken: async (userId: string, itemId: string, accessToken: string) =>
          void rows.set(`${userId}/${itemId}`, accessToken),
        accessToken: async (userId: string, itemId: string) => rows.get(`${userId}/${itemId}`) ?? '',
      },
    };
  }

  it('#before: the official client alone links, keeps the token in your database and reads balances', async () => {
    const { rows, db } = database();
    give<import('../../docs/snippets/migrating-before.js').Given>({ publicToken: fake.createPublicToken(), db });
    const lines = printed();
    const snippet = await import('../../docs/snippets/migrating-before.js');
    expect(snippet.linkToken).toMatch(/^link-sandbox-/);
    expect([...rows.values()]).toEqual([fake.items[0]?.accessToken]);
    expect(lines).toEqual([['USD']]);
    expect(new Set(hosts)).toEqual(new Set(['sandbox.plaid.com']));
  });

  it('#before: its error is an AxiosError that holds the secret and the access token, as the comment warns', async () => {
    const { rows, db } = database();
    give<import('../../docs/snippets/migrating-before.js').Given>({ publicToken: fake.createPublicToken(), db });
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const error = (await import('../../docs/snippets/migrating-before.js').catch((e: unknown) => e)) as {
      isAxiosError?: boolean;
      response?: { data?: unknown };
      config?: { headers?: Record<string, unknown>; data?: string };
    };
    expect(error.isAxiosError).toBe(true);
    expect(error.response?.data).toMatchObject({ error_code: 'ITEM_LOGIN_REQUIRED' });
    expect(error.config?.headers?.['PLAID-SECRET']).toBe(credentials.secret);
    expect(error.config?.data).toContain([...rows.values()][0]);
  });

  it('#after: the facade links, keeps the token in its store and reads balances', async () => {
    give<import('../../docs/snippets/migrating-after.js').Given>({ publicToken: fake.createPublicToken() });
    const lines = printed();
    const snippet = await import('../../docs/snippets/migrating-after.js');
    expect(snippet.linkToken).toMatch(/^link-sandbox-/);
    expect(snippet.expiration).toBeInstanceOf(Date);
    expect(fake.item(snippet.itemId).removed).toBe(false);
    expect(lines).toEqual([['USD', 'USD']]);
    expect(new Set(hosts)).toEqual(new Set(['sandbox.plaid.com']));
  });

  it('#after: ITEM_LOGIN_REQUIRED is typed, safe to log, and answered with an update-mode token', async () => {
    give<import('../../docs/snippets/migrating-after.js').Given>({ publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const logged = printed('error');
    const error = await import('../../docs/snippets/migrating-after.js').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PlaidApiError', code: 'ITEM_LOGIN_REQUIRED' });
    const requestId = fake.callsTo('/accounts/balance/get')[0]?.requestId;
    expect(logged).toEqual([['ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', requestId]]);
    const accessToken = fake.items[0]?.accessToken ?? '';
    for (const secret of [credentials.secret, accessToken]) {
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
    }
    const [, update] = fake.callsTo('/link/token/create');
    expect(update?.body).toMatchObject({ access_token: accessToken });
  });

  it('#plaid-api: the facade sends through your client, and the client keeps serving other products', async () => {
    const synced: unknown[] = [];
    // /transactions/sync is not a call of the facade's, so the fake does not serve it: a stand-in does.
    server.use(
      http.post('https://production.plaid.com/transactions/sync', async ({ request }) => {
        synced.push({ body: await request.json(), clientId: request.headers.get('plaid-client-id') });
        return HttpResponse.json({ added: [], modified: [], removed: [], next_cursor: 'c1', has_more: false });
      }),
    );
    const { MemoryTokenStore } = await import('plaid-facade');
    const tokenStore = new MemoryTokenStore();
    const held = { userId: 'user-42', itemId: 'item-held', accessToken: 'access-production-held' };
    await tokenStore.set({ ...held, createdAt: new Date() });
    give<import('../../docs/snippets/migrating-plaid-api.js').Given>({
      tokenStore,
      userId: held.userId,
      itemId: held.itemId,
    });
    const snippet = await import('../../docs/snippets/migrating-plaid-api.js');
    expect(synced).toEqual([{ body: { access_token: 'access-production-held' }, clientId: credentials.clientId }]);
    const sent = vi.spyOn(snippet.client, 'linkTokenCreate');
    await expect(snippet.plaid.linkToken({ userId: 'user-42' })).resolves.toMatchObject({
      linkToken: expect.stringMatching(/^link-/),
    });
    expect(sent).toHaveBeenCalledTimes(1);
    expect(new Set(hosts)).toEqual(new Set(['production.plaid.com']));
  });
});

describe('observability', () => {
  it('#pino: one info line per call, with its fields', async () => {
    const { withPino } = await import('../../docs/snippets/observability.js');
    const plaid = withPino(credentials);
    const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    await plaid.getBalances({ userId: 'user-42', itemId });
    const [logger] = made.loggers;
    expect(logger?.options).toEqual({ level: 'info' });
    expect(logger?.lines.filter((line) => line.fields.endpoint === '/accounts/balance/get')).toEqual([
      {
        level: 'info',
        fields: expect.objectContaining({
          callId: expect.any(String),
          requestId: fake.callsTo('/accounts/balance/get')[0]?.requestId,
          attempts: 1,
          durationMs: expect.any(Number),
          waitedMs: expect.any(Number),
          status: 200,
        }),
        message: expect.stringMatching(/^\/accounts\/balance\/get ok in \d+ ms \(1 attempt\)$/),
      },
    ]);
  });

  it('#otlp: OTLP exporters (stand-ins) on both providers, the async context manager, shut down at the end', async () => {
    const { withOtlp } = await import('../../docs/snippets/observability.js');
    try {
      await withOtlp(credentials);
      expect(made.exporters.map(({ kind, config, shutDown }) => ({ kind, config, shutDown }))).toEqual([
        { kind: 'traces', config: { url: 'http://localhost:4318/v1/traces' }, shutDown: true },
        { kind: 'metrics', config: { url: 'http://localhost:4318/v1/metrics' }, shutDown: true },
      ]);
      expect(made.instrumentations).toEqual([
        expect.objectContaining({
          options: { tracerProvider: expect.any(BasicTracerProvider), meterProvider: expect.anything() },
          disabled: true,
        }),
      ]);
      // The context manager it registers carries a context across an await.
      const key = createContextKey('docs-snippet');
      const seen = await context.with(context.active().setValue(key, 'kept'), async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return context.active().getValue(key);
      });
      expect(seen).toBe('kept');
    } finally {
      context.disable();
    }
  });

  it('#global: with providers registered globally (a stand-in for NodeSDK), every call is a CLIENT span', async () => {
    const spans = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    trace.setGlobalTracerProvider(provider);
    try {
      const { withNodeSdk } = await import('../../docs/snippets/observability.js');
      withNodeSdk();
      const { createPlaidFacade } = await import('plaid-facade');
      await createPlaidFacade(credentials).linkToken({ userId: 'user-42' });
      expect(spans.getFinishedSpans().map((span) => [span.name, span.kind])).toEqual([
        ['/link/token/create', SpanKind.CLIENT],
      ]);
    } finally {
      trace.disable();
      await provider.shutdown();
    }
  });

  it('#channel: the asyncEnd message of every call, printed', async () => {
    // The snippet never unsubscribes; its handlers are recorded so that the test can.
    const prototype = Object.getPrototypeOf(diagnostics.tracingChannel('plaid-facade:docs-probe')) as TracingChannel;
    const subscribe = vi.spyOn(prototype, 'subscribe');
    onTestFinished(() => {
      subscribe.mock.calls.forEach(([handlers], index) => {
        (subscribe.mock.contexts[index] as TracingChannel).unsubscribe(handlers);
      });
    });
    const lines = printed();
    const { withChannel } = await import('../../docs/snippets/observability.js');
    withChannel();
    const { createPlaidFacade } = await import('plaid-facade');
    await createPlaidFacade(credentials).linkToken({ userId: 'user-42' });
    expect(lines).toEqual([
      [
        expect.objectContaining({
          callId: expect.any(String),
          endpoint: '/link/token/create',
          attempt: 1,
          requestId: fake.callsTo('/link/token/create')[0]?.requestId,
          status: 200,
        }),
      ],
    ]);
  });

  it('#events: a retried attempt warns, and every call ends with one line', async () => {
    const warned = printed('warn');
    const informed = printed('info');
    const { withEvents } = await import('../../docs/snippets/observability.js');
    const plaid = withEvents(credentials);
    const { itemId } = await plaid.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    fake.failNext('/accounts/balance/get', 'INTERNAL_SERVER_ERROR');
    await plaid.getBalances({ userId: 'user-42', itemId });
    expect(warned).toEqual([
      [expect.stringMatching(/^call \S+: attempt 1 failed with INTERNAL_SERVER_ERROR, retrying$/)],
    ]);
    const callId = /^call (\S+):/.exec(String(warned[0]?.[0]))?.[1];
    expect(informed).toContainEqual([
      expect.stringMatching(new RegExp(`^call ${callId}: /accounts/balance/get ok in [\\d.]+ ms$`)),
    ]);
    expect(informed.map(([line]) => String(line).split(' ')[2])).toEqual([
      '/item/public_token/exchange',
      '/accounts/get',
      '/accounts/balance/get',
    ]);
  });
});

describe('rate-limits', () => {
  /** Links an Item on `facade`, then makes `calls` balance reads of it one after the other. */
  async function read(facade: PlaidFacade, calls: number) {
    const { itemId } = await facade.exchange({ userId: 'user-42', publicToken: fake.createPublicToken() });
    for (let i = 0; i < calls; i++) await facade.getBalances({ userId: 'user-42', itemId });
    return itemId;
  }

  /**
   * After `limit` reads of one Item, each let through at once, the next one would wait a minute for
   * the limiter: beyond `maxWaitMs` (5 s by default), it is refused at once, with `retryAfterMs`.
   */
  async function expectNextReadRefused(facade: PlaidFacade, limit: number) {
    const limiter = rateLimitMessages();
    const itemId = await read(facade, limit);
    const reads = limiter.messages.filter((message) => message.endpoint === '/accounts/balance/get');
    expect(reads.map((message) => message.phase)).toEqual(Array(limit).fill(['wait', 'admitted']).flat());
    const entered = limiter.next((message) => message.phase === 'wait');
    const extra = facade.getBalances({ userId: 'user-42', itemId }).catch((error: unknown) => error);
    const { callId } = await entered;
    expect(await extra).toMatchObject({ code: 'RATE_LIMIT_WAIT_EXCEEDED', retryable: true });
    expect((await extra) as { retryAfterMs?: number }).toHaveProperty('retryAfterMs', expect.any(Number));
    expect(limiter.phasesOf(callId)).toEqual(['wait', 'rejected']);
    await facade.close();
  }

  it.skipIf(!redisUrl)(
    '#overview: production defaults, a lower per-Item limit, limits shared over Redis, and none',
    async () => {
      const { overview } = await import('../../docs/snippets/rate-limits.js');
      const { MemoryTokenStore } = await import('plaid-facade');
      overview({ ...credentials, url: redisUrl ?? '', tokenStore: new MemoryTokenStore() });
      const [defaults, fewer, shared, off] = made.facades as PlaidFacade[];
      if (!defaults || !fewer || !shared || !off) throw new Error('overview creates four facades');

      await expectNextReadRefused(defaults, 5); // production: 5 balance reads a minute per Item
      expect(new Set(hosts)).toEqual(new Set(['production.plaid.com']));
      await expectNextReadRefused(fewer, 3);

      const admin = await redisAdmin();
      await despiteFlushes(admin, async () => {
        const itemId = await read(shared, 1);
        const windows = await keys(admin, `{plaid-facade:sandbox:/accounts/balance/get:item:${itemId}}:*`);
        expect(windows).not.toEqual([]);
      });

      // Off: past the sandbox's 25 reads a minute per Item, the next read is still let through at once.
      const limiter = rateLimitMessages();
      const itemId = await read(off, 25);
      const entered = limiter.next((message) => message.phase === 'wait');
      const extra = off.getBalances({ userId: 'user-42', itemId });
      const { callId } = await entered;
      await new Promise((resolve) => setImmediate(resolve));
      expect(limiter.phasesOf(callId)).toEqual(['wait', 'admitted']);
      await expect(extra).resolves.toMatchObject({ source: 'live' });
    },
  );

  it.skipIf(!redisUrl)(
    'redis: the limiter keeps its windows in the real Redis; shutdown closes both connections',
    async () => {
      vi.stubEnv('REDIS_URL', redisUrl ?? '');
      give<import('../../docs/snippets/rate-limits-redis.js').Given>(credentials);
      const snippet = await import('../../docs/snippets/rate-limits-redis.js');
      const admin = await redisAdmin();
      await despiteFlushes(admin, async () => {
        const itemId = await read(snippet.plaid, 1);
        const windows = await keys(admin, `{myapp-plaid:sandbox:/accounts/balance/get:item:${itemId}}:*`);
        expect(windows).not.toEqual([]);
      });
      const ended = new Promise((resolve) => snippet.redis.once('end', resolve));
      await snippet.shutdown();
      await ended; // quit() resolves with Redis's answer; the connection ends right after
      expect(snippet.redis.status).toBe('end');
      await expect(snippet.plaid.linkToken({ userId: 'user-42' })).rejects.toMatchObject({ code: 'FACADE_CLOSED' });
    },
  );
});

describe('token-storage', () => {
  it.skipIf(!redisUrl)('#redis: tokens are kept encrypted in Redis and read back for the calls', async () => {
    const userId = `docs-user-${randomBytes(6).toString('hex')}`;
    vi.stubEnv('REDIS_URL', redisUrl ?? '');
    vi.stubEnv('PLAID_TOKEN_KEY_2025_01', randomBytes(32).toString('base64'));
    give<import('../../docs/snippets/token-storage.js').Given>(credentials);
    const { plaid } = await import('../../docs/snippets/token-storage.js');
    const admin = await redisAdmin();
    await despiteFlushes(admin, async () => {
      const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
      try {
        const stored = JSON.stringify(await admin.hgetall(`plaid-facade:tokens:user:${userId}`));
        expect(stored).toContain('pfenc:v1:2025-01:');
        expect(stored).not.toContain(fake.item(itemId).accessToken);
        expect((await plaid.getBalances({ userId, itemId })).accounts).toHaveLength(3);
      } finally {
        await plaid.removeItem({ userId, itemId }).catch(() => {});
      }
    });
    expect(new Set(hosts)).toEqual(new Set(['production.plaid.com']));
  });
});
