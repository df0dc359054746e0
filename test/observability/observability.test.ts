import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlaidFacadeEvent, PlaidFacadeOptions } from '../../src/index.js';
import { callChannel } from '../../src/observability/channels.js';
import { balanceBody, callsThatCouldLeak, leakProbe, plaidError, useScriptedPlaid } from '../support/msw-plaid.js';
import { scriptedFacade } from '../support/scripted-facade.js';

const plaid = useScriptedPlaid();
const secret = 'secret-xyz-123';
const linkBody = { link_token: 'link-sandbox-1', expiration: '2026-11-25T18:00:00Z', request_id: 'req-1' };

// scriptedFacade's secret is `secret`; retries without waiting
const facade = (extra: Partial<PlaidFacadeOptions> = {}) =>
  scriptedFacade({ retry: { minDelayMs: 1, maxDelayMs: 1 }, ...extra });

type Phase = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Subscribes to the call channel as an APM would, copying each message as it is at each phase. */
function subscribeToCalls(): Array<{ phase: Phase; message: Record<string, unknown> }> {
  const seen: Array<{ phase: Phase; message: Record<string, unknown> }> = [];
  const channel = diagnostics.tracingChannel<unknown, Record<string, unknown>>('plaid-facade:call');
  const record = (phase: Phase) => (message: Record<string, unknown>) => seen.push({ phase, message: { ...message } });
  const subscribers = {
    start: record('start'),
    end: record('end'),
    asyncStart: record('asyncStart'),
    asyncEnd: record('asyncEnd'),
    error: record('error'),
  };
  channel.subscribe(subscribers);
  cleanups.push(() => channel.unsubscribe(subscribers));
  return seen;
}

/** Subscribes to every plain channel the facade publishes on. */
function subscribeToAll(): unknown[] {
  const seen: unknown[] = [];
  const names = [
    'plaid-facade:attempt',
    'plaid-facade:rate-limit',
    'plaid-facade:retry-budget',
    'plaid-facade:balance-billed',
    'plaid-facade:webhook-verification',
  ];
  const listener = (message: unknown) => seen.push(message);
  for (const name of names) diagnostics.subscribe(name, listener);
  cleanups.push(() => {
    for (const name of names) diagnostics.unsubscribe(name, listener);
  });
  return seen;
}

/** A pino-shaped logger that keeps what it is given. */
function memoryLogger() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    lines.push({ level, fields, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

describe("diagnostics channel 'plaid-facade:call'", () => {
  it('publishes start, end, asyncStart and asyncEnd around a call, with the call complete by asyncEnd', async () => {
    const seen = subscribeToCalls();
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });

    expect(seen.map((entry) => entry.phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[0]?.message).toMatchObject({ endpoint: '/link/token/create', attempt: 0 });
    expect(seen[3]?.message).toMatchObject({
      endpoint: '/link/token/create',
      attempt: 1,
      requestId: 'req-1',
      status: 200,
      waitedMs: expect.any(Number),
      callId: seen[0]?.message.callId,
    });
    expect(seen[3]?.message.errorCode).toBeUndefined();
  });

  it('publishes error with the code, status and request id of a failed call, after its retries', async () => {
    const seen = subscribeToCalls();
    plaid.script('/link/token/create', plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500));
    await expect(facade().linkToken({ userId: 'user-1' })).rejects.toThrow();

    expect(seen.map((entry) => entry.phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2]?.message).toMatchObject({
      attempt: 4,
      errorCode: 'INTERNAL_SERVER_ERROR',
      status: 500,
      requestId: 'req-INTERNAL_SERVER_ERROR',
    });
  });

  it('publishes each attempt, with the same call id', async () => {
    const calls = subscribeToCalls();
    const seen = subscribeToAll();
    plaid.script('/link/token/create', { networkError: true }, { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    const callId = calls[0]?.message.callId;
    const attempts = seen.filter((message) => (message as { outcome?: string }).outcome !== undefined);
    expect(attempts).toEqual([
      expect.objectContaining({ callId, attempt: 1, outcome: 'error', errorCode: 'NETWORK_ERROR', retrying: true }),
      expect.objectContaining({ callId, attempt: 2, outcome: 'response', status: 200, requestId: 'req-1' }),
    ]);
  });

  it('costs nothing when nobody subscribes: the call is not traced', async () => {
    const traced = vi.spyOn(callChannel, 'tracePromise');
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    expect(traced).not.toHaveBeenCalled();
    subscribeToCalls();
    await facade().linkToken({ userId: 'user-1' });
    expect(traced).toHaveBeenCalledTimes(1);
  });

  it('carries the Item id only for a facade created with observability: { itemIds: true }', async () => {
    const seen = subscribeToCalls();
    for (const itemIds of [false, true]) {
      const f = facade({ observability: { itemIds } });
      plaid.script('/item/public_token/exchange', {
        json: { access_token: 'access-sandbox-1', item_id: 'item-1', request_id: 'req-x' },
      });
      await f.exchange({ userId: 'user-1', publicToken: 'public-sandbox-1' });
      plaid.script('/accounts/balance/get', { json: balanceBody('item-1') });
      await f.getBalances({ userId: 'user-1', itemId: 'item-1' });
    }
    const balanceStarts = seen.filter(
      (entry) => entry.phase === 'start' && entry.message.endpoint === '/accounts/balance/get',
    );
    expect(balanceStarts.map((entry) => entry.message.itemId)).toEqual([undefined, 'item-1']);
  });
});

describe('onEvent: call events and call ids', () => {
  it('brackets the attempt events of a call with call-start and call-end, all with the same call id', async () => {
    const events: PlaidFacadeEvent[] = [];
    plaid.script('/link/token/create', { networkError: true }, { json: linkBody });
    await facade({ onEvent: (event) => events.push(event) }).linkToken({ userId: 'user-1' });

    expect(events.map((event) => event.type)).toEqual([
      'call-start',
      'request',
      'error',
      'retry',
      'request',
      'response',
      'call-end',
    ]);
    const [start] = events;
    const callId = start?.type === 'call-start' ? start.callId : undefined;
    expect(callId).toEqual(expect.any(String));
    expect(events.every((event) => 'callId' in event && event.callId === callId)).toBe(true);
    expect(events.at(-1)).toEqual({
      type: 'call-end',
      callId,
      endpoint: '/link/token/create',
      ok: true,
      attempts: 2,
      durationMs: expect.any(Number),
      waitedMs: expect.any(Number),
      requestId: 'req-1',
      status: 200,
      errorCode: undefined,
    });
  });

  it('gives each call its own id, and says how a failed call ended', async () => {
    const events: PlaidFacadeEvent[] = [];
    const f = facade({ onEvent: (event) => events.push(event) });
    plaid.script('/link/token/create', { json: linkBody });
    await f.linkToken({ userId: 'user-1' });
    plaid.script('/link/token/create', plaidError('INVALID_REQUEST', 'MISSING_FIELDS', 400));
    await expect(f.linkToken({ userId: 'user-1' })).rejects.toThrow();
    const ends = events.filter((event) => event.type === 'call-end');
    expect(ends).toHaveLength(2);
    expect(ends[0]?.callId).not.toBe(ends[1]?.callId);
    expect(ends[1]).toMatchObject({ ok: false, attempts: 1, errorCode: 'MISSING_FIELDS', status: 400 });
  });

  it('puts the call id on rate-limited events', async () => {
    const events: PlaidFacadeEvent[] = [];
    const f = facade({
      onEvent: (event) => events.push(event),
      rateLimit: { endpoints: { '/link/token/create': { limit: 1, intervalMs: 100 } } },
    });
    plaid.script('/link/token/create', { json: linkBody });
    // the second call waits for the next window
    await Promise.all([f.linkToken({ userId: 'a' }), f.linkToken({ userId: 'b' })]);
    await f.close();
    const [, second] = events.filter((event) => event.type === 'call-start');
    const limited = events.filter((event) => event.type === 'rate-limited');
    expect(limited).toEqual([expect.objectContaining({ reason: 'queued', callId: second?.callId })]);
  });
});

describe('logger', () => {
  it('writes one info line per call with endpoint, request id, attempts and duration', async () => {
    const { lines, logger } = memoryLogger();
    plaid.script('/link/token/create', { json: linkBody });
    await facade({ logger }).linkToken({ userId: 'user-1' });
    expect(lines).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/^\/link\/token\/create ok in \d+ ms \(1 attempt\)$/),
        fields: expect.objectContaining({
          endpoint: '/link/token/create',
          requestId: 'req-1',
          attempts: 1,
          durationMs: expect.any(Number),
          callId: expect.any(String),
        }),
      },
    ]);
  });

  it('writes a warn line for a failed call, and a debug line per retried attempt', async () => {
    const { lines, logger } = memoryLogger();
    plaid.script('/link/token/create', { networkError: true }, plaidError('INVALID_REQUEST', 'MISSING_FIELDS', 400));
    await expect(facade({ logger }).linkToken({ userId: 'user-1' })).rejects.toThrow();
    expect(lines.map((line) => line.level)).toEqual(['debug', 'warn']);
    expect(lines[1]?.fields).toMatchObject({ errorCode: 'MISSING_FIELDS', attempts: 2, status: 400 });
    expect(lines[1]?.message).toMatch(/failed with MISSING_FIELDS/);
  });

  it('accepts console', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    plaid.script('/link/token/create', { json: linkBody });
    await facade({ logger: console }).linkToken({ userId: 'user-1' });
    expect(info).toHaveBeenCalledTimes(1);
  });

  it('rejects a logger without the four methods, at once', () => {
    expect(() => facade({ logger: { info: () => {} } as never })).toThrow(/logger/);
  });

  it('an async logger whose methods reject is as harmless as onEvent: no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));
    const calls: string[] = [];
    const rejecting = (level: string) => async () => {
      calls.push(level);
      throw new Error(`the log shipper is down (${level})`);
    };
    const logger = {
      debug: rejecting('debug'),
      info: rejecting('info'),
      warn: rejecting('warn'),
      error: rejecting('error'),
    };
    plaid.script('/link/token/create', { json: linkBody });
    await expect(facade({ logger }).linkToken({ userId: 'user-1' })).resolves.toMatchObject({
      linkToken: 'link-sandbox-1',
    });
    plaid.script('/link/token/create', { networkError: true }, plaidError('INVALID_REQUEST', 'MISSING_FIELDS', 400));
    await expect(facade({ logger }).linkToken({ userId: 'user-1' })).rejects.toMatchObject({ code: 'MISSING_FIELDS' });
    expect(calls).toEqual(['info', 'debug', 'warn']);
    // Unhandled rejections are reported after the microtask queue drains: give it a few turns.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('a logger that throws does not change the call', async () => {
    const broken = {
      debug: () => {},
      info: () => {
        throw new Error('disk full');
      },
      warn: () => {},
      error: () => {},
    };
    plaid.script('/link/token/create', { json: linkBody });
    await expect(facade({ logger: broken }).linkToken({ userId: 'user-1' })).resolves.toMatchObject({
      requestId: 'req-1',
    });
  });
});

describe('PLAID_FACADE_LOG', () => {
  function stderr(): string[] {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    return written;
  }

  it('=info writes one line per call to stderr', async () => {
    vi.stubEnv('PLAID_FACADE_LOG', 'info');
    const written = stderr();
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    expect(written).toEqual([
      expect.stringMatching(
        /^plaid-facade info \/link\/token\/create ok in \d+ ms \(1 attempt\) callId=\S+ endpoint=\/link\/token\/create requestId=req-1 attempts=1 durationMs=\d+ waitedMs=\d+ status=200\n$/,
      ),
    ]);
  });

  it('=warn writes failed calls only; =debug adds retried attempts', async () => {
    vi.stubEnv('PLAID_FACADE_LOG', 'warn');
    const written = stderr();
    plaid.script('/link/token/create', { networkError: true }, { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    expect(written).toEqual([]);
    plaid.script('/link/token/create', plaidError('INVALID_REQUEST', 'MISSING_FIELDS', 400));
    await expect(facade().linkToken({ userId: 'user-1' })).rejects.toThrow();
    expect(written).toEqual([
      expect.stringMatching(/^plaid-facade warn \/link\/token\/create failed with MISSING_FIELDS/),
    ]);

    vi.stubEnv('PLAID_FACADE_LOG', 'debug');
    written.length = 0;
    plaid.script('/link/token/create', { networkError: true }, { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    expect(written.map((line) => line.split(' ')[1])).toEqual(['debug', 'info']);
  });

  it('is ignored when a logger is given, or when it names no level', async () => {
    const written = stderr();
    vi.stubEnv('PLAID_FACADE_LOG', 'verbose');
    plaid.script('/link/token/create', { json: linkBody });
    await facade().linkToken({ userId: 'user-1' });
    vi.stubEnv('PLAID_FACADE_LOG', 'debug');
    const { lines, logger } = memoryLogger();
    await facade({ logger }).linkToken({ userId: 'user-1' });
    expect(written).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe('what observation never holds', () => {
  it('no log line or channel message holds the secret, an access token, a public token or (by default) an Item id', async () => {
    const calls = subscribeToCalls();
    const messages = subscribeToAll();
    const { lines, logger } = memoryLogger();
    vi.stubEnv('PLAID_FACADE_LOG', 'debug');
    const written = (() => {
      const out: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out.push(String(chunk));
        return true;
      });
      return out;
    })();
    const { accessToken, publicToken, itemId } = leakProbe;
    for (const f of [facade({ logger }), facade()]) await callsThatCouldLeak(plaid, f);
    // The channel's context at asyncEnd also carries `error` (Node adds it): the facade's typed
    // error, which holds no token either; and no `result` (an exchange's answer holds the token).
    const everything = JSON.stringify({ calls, messages, lines, written }, (_key, value: unknown) =>
      value instanceof Error ? { ...value, name: value.name, message: value.message } : value,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(written.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(0);
    for (const value of [secret, accessToken, publicToken, itemId]) {
      expect(everything).not.toContain(value);
    }
  });
});
