/**
 * Limiter fidelity: how closely the rate limiter keeps "at most `limit` starts in any window of
 * `intervalMs`" while still moving at the limit's pace. Fires a burst through the limiter in one
 * process, then across two processes sharing the limit through Redis (when PLAID_FACADE_REDIS_URL
 * is set), and prints one JSON line per scenario:
 *   maxInWindow   the most starts seen in any window (must be <= limit)
 *   paceRatio     ideal time to the last start / measured time to the last start (1 = perfect)
 *   rateRatio     achieved starts per window / configured limit, over the whole burst
 *
 * Run: node --import tsx bench/limiter-fidelity.ts
 * (`--worker redisUrl prefix calls` is the child process mode used for the Redis scenario.)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadClusteredBottleneck } from '../src/pipeline/rate-limit/bottleneck-builds.js';
import { type RateLimitOptions, resolveRateLimitOptions } from '../src/options.js';
import { createRateLimiter, type RateLimiter } from '../src/pipeline/rate-limit/rate-limiter.js';

import { type BenchSection, type Figure, median, ratio } from './section.js';

const endpoint = '/accounts/balance/get';
const spec = { limit: 10, intervalMs: 500 };
const calls = 60;
/** Bursts per scenario: the most starts in a window is the worst over all, the rate the median. */
const rounds = 3;

/** The most starts in any half-open window [t, t + intervalMs). */
function maxInWindow(starts: number[], intervalMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (j < sorted.length && (sorted[j] as number) - (sorted[i] as number) < intervalMs) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}

/** Fires `count` calls at once through a new limiter; resolves with their start times and the limiter. */
async function burst(options: RateLimitOptions, count: number): Promise<{ starts: number[]; limiter: RateLimiter }> {
  const limiter = createRateLimiter(
    resolveRateLimitOptions({ ...options, endpoints: { [endpoint]: spec } }, 'sandbox'),
    'sandbox',
    () => {},
  );
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiter.schedule({ endpoint }, async () => {
        starts.push(Date.now());
      }),
    ),
  );
  return { starts, limiter };
}

interface BurstResult {
  maxInWindow: number;
  paceRatio: number;
  rateRatio: number;
}

function measureBurst(scenario: string, starts: number[], wentAt: number): BurstResult {
  const last = Math.max(...starts);
  const ideal = (Math.ceil(starts.length / spec.limit) - 1) * spec.intervalMs;
  const measured = last - wentAt;
  const windows = (measured + spec.intervalMs) / spec.intervalMs;
  const result = {
    maxInWindow: maxInWindow(starts, spec.intervalMs),
    paceRatio: Number((ideal / Math.max(measured, 1)).toFixed(3)),
    rateRatio: Number((starts.length / windows / spec.limit).toFixed(3)),
  };
  console.log(JSON.stringify({ scenario, calls: starts.length, ...spec, ...result }));
  return result;
}

function report(scenario: string, results: BurstResult[]): Figure[] {
  const most = Math.max(...results.map((r) => r.maxInWindow));
  const rate = median(results.map((r) => r.rateRatio));
  return [
    {
      name: `${scenario}: most starts in any window (limit ${spec.limit}), worst of ${results.length} bursts`,
      value: String(most),
      target: `≤ ${spec.limit}`,
      met: most <= spec.limit,
    },
    {
      name: `${scenario}: achieved rate / configured rate, median of ${results.length} bursts (${results.map((r) => r.rateRatio.toFixed(2)).join(', ')})`,
      value: ratio(rate),
      target: '≥ 0.95×',
      met: rate >= 0.95,
    },
  ];
}

async function worker(redisUrl: string, prefix: string, count: number): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await client.ping();
  // A service loads bottleneck's clustering build once, at start-up: not part of the burst.
  await loadClusteredBottleneck();
  const lines = stdinLines();
  process.stdout.write('ready\n');
  await lines.next(); // go
  const { starts, limiter } = await burst({ redis: { client, prefix } }, count);
  process.stdout.write(`${JSON.stringify(starts)}\n`);
  // Stay until every process is done: a process that exits at once leaves the slots it holds in
  // Redis until they expire, the window plus a margin, which would slow the other's last windows.
  // (A live process's close() frees them when their windows end.)
  await lines.next(); // exit
  await limiter.close();
  await client.quit();
  process.exit(0); // held slots keep bottleneck's expiration timers alive: do not wait for them
}

/** Lines arriving on standard input, one per `next()`. */
function stdinLines(): { next(): Promise<void> } {
  let pending = 0;
  const waiting: Array<() => void> = [];
  process.stdin.on('data', (chunk: Buffer) => {
    for (const char of chunk.toString()) {
      if (char !== '\n') continue;
      const resolve = waiting.shift();
      if (resolve) resolve();
      else pending += 1;
    }
  });
  return {
    next: () =>
      new Promise<void>((resolve) => {
        if (pending > 0) {
          pending -= 1;
          resolve();
        } else waiting.push(resolve);
      }),
  };
}

async function overRedis(redisUrl: string, processes: number): Promise<BurstResult> {
  const prefix = `plaid-facade-bench-${randomUUID()}`;
  const self = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', self, '--worker', redisUrl, prefix, String(calls / processes)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let output = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.startsWith('ready\n')) resolve();
      }),
    );
    const done = new Promise<number[]>((resolve, reject) => {
      child.stdout.on('data', () => {
        const lines = output.split('\n');
        if (lines.length >= 3) resolve(JSON.parse(lines[1] ?? '[]') as number[]);
      });
      child.on('exit', (code) => reject(new Error(`worker exited (${code}) before reporting its starts`)));
    });
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  const wentAt = Date.now();
  for (const c of children) c.child.stdin.write('go\n');
  const starts = (await Promise.all(children.map((c) => c.done))).flat();
  for (const c of children) c.child.stdin.write('exit\n');
  await Promise.all(children.map((c) => new Promise((resolve) => c.child.once('exit', resolve))));
  return measureBurst(`${processes} processes over Redis`, starts, wentAt);
}

/** The limiter-fidelity section of `npm run bench`. */
export async function run(): Promise<BenchSection> {
  const local: BurstResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const wentAt = Date.now();
    const { starts, limiter } = await burst({}, calls);
    await limiter.close();
    local.push(measureBurst('one process', starts, wentAt));
  }
  const figures = report('one process', local);
  const redisUrl = process.env.PLAID_FACADE_REDIS_URL;
  if (redisUrl) {
    const shared: BurstResult[] = [];
    for (let round = 0; round < rounds; round++) shared.push(await overRedis(redisUrl, 2));
    figures.push(...report('2 processes over Redis', shared));
  } else figures.push({ name: '2 processes over Redis', value: 'skipped: PLAID_FACADE_REDIS_URL is not set' });
  return {
    title: 'Limiter fidelity',
    method: `Bursts of ${calls} calls through a limit of ${spec.limit} per ${spec.intervalMs} ms, ${rounds} in one process, then ${rounds} split over two processes sharing the limit through Redis (each process connected beforehand, as a service is). Achieved rate = starts per window over the burst / limit.`,
    figures,
  };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--worker') {
  const [redisUrl, prefix, count] = rest;
  await worker(String(redisUrl), String(prefix), Number(count));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
