import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { type RateLimitOptions, resolveRateLimitOptions } from '../../src/options.js';
import { createRateLimiter as createResolved } from '../../src/pipeline/rate-limit/rate-limiter.js';
import { hear429 } from '../support/hear-429.js';
import { maxInWindow } from '../support/max-in-window.js';
import { serviceUrl } from '../support/services.js';

/** A limiter from user-level options, resolved as the facade resolves them. */
const createRateLimiter = (options: RateLimitOptions, environment: 'sandbox', emit: () => void) =>
  createResolved(resolveRateLimitOptions(options, environment), environment, emit);

const url = serviceUrl('redis', 'shared rate limit');
const worker = fileURLToPath(new URL('./rate-limit-worker.ts', import.meta.url));
const balance = '/accounts/balance/get';

/**
 * One worker process: resolves `ready` when it is connected and `starts` when it has reported its
 * calls' start times; `finish()` then lets it close its limiter and exit.
 */
function startWorker(args: string[]): {
  ready: Promise<void>;
  go: () => void;
  starts: Promise<number[]>;
  finish: () => Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const killer = setTimeout(() => child.kill(), 25_000);
  let output = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let markStarts: (starts: number[]) => void = () => {};
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code !== 0) {
        const failure = `worker exited with ${code}; its output: ${output.slice(-500)}`;
        // Printed as well: a retried test's first failure is not shown otherwise.
        console.error(failure);
        reject(new Error(failure));
      } else resolve();
    });
  });
  const starts = new Promise<number[]>((resolve, reject) => {
    markStarts = resolve;
    exited.then(() => reject(new Error('worker exited before reporting its starts')), reject);
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.startsWith('ready\n')) markReady();
    const line = output.split('\n').find((text) => text.startsWith('['));
    if (line && output.includes(`${line}\n`)) markStarts(JSON.parse(line) as number[]);
  });
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    starts,
    finish: () => {
      child.stdin.write('exit\n');
      return exited;
    },
  };
}

async function burstFromProcesses(
  processes: number,
  callsEach: number,
  spec: { limit: number; intervalMs: number },
  itemId?: string,
): Promise<{ starts: number[]; wentAt: number }> {
  const prefix = `plaid-facade-test-${randomUUID()}`;
  const args = [String(url), prefix, String(callsEach), String(spec.limit), String(spec.intervalMs)];
  if (itemId) args.push(itemId);
  const workers = Array.from({ length: processes }, () => startWorker(args));
  await Promise.all(workers.map((w) => w.ready));
  const wentAt = Date.now();
  for (const w of workers) w.go();
  const starts = (await Promise.all(workers.map((w) => w.starts))).flat();
  await Promise.all(workers.map((w) => w.finish()));
  return { starts, wentAt };
}

describe.skipIf(!url)('rate limit shared through Redis (several processes)', () => {
  it.each([
    ['the endpoint', undefined],
    ['one Item', 'item-shared'],
  ])(
    'keeps %s under its limit across 3 processes',
    // No retry: a slot frees at a time Redis stored, and a waiting process asks again at that time,
    // so nothing depends on a hand-over between processes (no pub/sub). A failure prints the
    // worker's output.
    { timeout: 30_000 },
    async (_label, itemId) => {
      const spec = { limit: 6, intervalMs: 600 };
      const processes = 3;
      const callsEach = 10;
      const { starts, wentAt } = await burstFromProcesses(processes, callsEach, spec, itemId);
      const total = processes * callsEach;
      expect(starts).toHaveLength(total);
      expect(maxInWindow(starts, spec.intervalMs)).toBeLessThanOrEqual(spec.limit);
      // 30 calls at 6 per 600 ms: the last can start no sooner than 4 windows after the first
      const minimum = (Math.ceil(total / spec.limit) - 1) * spec.intervalMs;
      expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(minimum - 5);
      // How close to the limit's pace the burst finishes is a timing figure: bench/rate-limit.ts
      // measures it. Here only that every call ran after "go".
      expect(Math.min(...starts)).toBeGreaterThanOrEqual(wentAt);
    },
  );

  it('fails clearly when Redis is not reachable (the connection is not ready within timeoutMs)', async () => {
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 1_000,
    });
    client.on('error', () => {});
    const limiter = createRateLimiter({ redis: { client, timeoutMs: 300 } }, 'sandbox', () => {});
    await expect(limiter.schedule({ endpoint: balance }, async () => 'ran')).rejects.toMatchObject({
      code: 'RATE_LIMIT_REDIS_UNAVAILABLE',
    });
    await limiter.close();
    client.disconnect();
  });

  it('leaves the caller’s client open after close()', async () => {
    const client = new Redis(String(url));
    const limiter = createRateLimiter(
      { redis: { client, prefix: `plaid-facade-test-${randomUUID()}` } },
      'sandbox',
      () => {},
    );
    expect(await limiter.schedule({ endpoint: balance, itemId: 'x' }, async () => 'ran')).toBe('ran');
    await limiter.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('pauses every process sharing the limit when one of them hears 429 from Plaid', async () => {
    const prefix = `plaid-facade-test-${randomUUID()}`;
    // 200 a minute: a 429 pauses the endpoint for one call's share, 300 ms; the minute-long window
    // keeps the end of the calls' own windows out of the test
    const spec = { limit: 200, intervalMs: 60_000 };
    const clients = [new Redis(String(url)), new Redis(String(url))];
    const [heard, other] = clients.map((client) =>
      createRateLimiter({ redis: { client, prefix }, endpoints: { [balance]: spec } }, 'sandbox', () => {}),
    );
    if (!heard || !other) throw new Error('two limiters expected');
    try {
      // both connected and initialised
      await heard.schedule({ endpoint: balance }, async () => {});
      await other.schedule({ endpoint: balance }, async () => {});
      const heardAt = Date.now();
      await hear429(heard, { endpoint: balance }, 'RATE_LIMIT_EXCEEDED');
      // the pause reaches Redis: wait for its key (bounded), not for a guessed time
      const [watcher] = clients;
      await vi.waitFor(async () => expect(await watcher?.keys(`*${prefix}*:pause`)).toHaveLength(1), {
        timeout: 5_000,
        interval: 5,
      });
      const startedAt = await other.schedule({ endpoint: balance }, async () => Date.now());
      // the other process's call waited for the pause (a lower bound: a slow machine only adds)
      expect(startedAt - heardAt).toBeGreaterThanOrEqual(280);
    } finally {
      await Promise.all([heard.close(), other.close()]);
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('lets the process exit as soon as it closed, though its slots stay taken for a window', async () => {
    const prefix = `plaid-facade-test-${randomUUID()}`;
    const script = fileURLToPath(new URL('../support/close-and-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(url), prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let timer: NodeJS.Timeout | undefined;
    // a bound, not a timing claim: the slot's window is a minute, its lease more
    const exited = await new Promise<number | string | null>((resolve) => {
      timer = setTimeout(() => resolve('still running'), 20_000);
      child.on('exit', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    child.kill();
    expect(output).toBe('closed\n');
    expect(exited).toBe(0);
  });

  it('frees the slots of a closed limiter in Redis when their windows end, not at their expiry', async () => {
    const prefix = `plaid-facade-test-${randomUUID()}`;
    const spec = { limit: 2, intervalMs: 800 };
    const clients = [new Redis(String(url)), new Redis(String(url))];
    const [closing, staying] = clients.map((client) =>
      createRateLimiter({ redis: { client, prefix }, endpoints: { [balance]: spec } }, 'sandbox', () => {}),
    );
    if (!closing || !staying) throw new Error('two limiters expected');
    try {
      const starts = await Promise.all(
        [1, 2].map(() => closing.schedule({ endpoint: balance }, async () => Date.now())),
      );
      await closing.close(); // both slots are held for 800 ms after their calls settled
      const next = await staying.schedule({ endpoint: balance }, async () => Date.now());
      const first = Math.min(...starts);
      expect(next - first).toBeGreaterThanOrEqual(spec.intervalMs - 10); // the limit holds
      // freed at the window's end; left to Redis's expiry it would be 5 s later
      expect(next - first).toBeLessThan(spec.intervalMs + 2_500);
    } finally {
      await staying.close();
      await Promise.all(clients.map((client) => client.quit()));
    }
  });
});
