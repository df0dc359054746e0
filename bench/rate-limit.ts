/**
 * The rate limiter under realistic conditions, reported as counts and ratios:
 * - arrivals at the server with 0–300 ms of random latency per call (split at random between the
 *   way there and the way back), per Item and per endpoint, in one process and in two processes
 *   sharing the limit through Redis: the most arrivals in any sliding window, and the achieved rate;
 * - what 100,000 Items called once leave behind in one process one window later (heap, idle CPU),
 *   and what 10,000 leave in Redis (keys, pub/sub channels, commands per second while idle);
 * - Redis round trips per uncontended call, and the time the limiter adds to it on loopback;
 * - the fleet figures of bench/rate-limit-fleet.ts (8 processes, Redis 20 ms away, outages,
 *   lanes, Redis Cluster).
 * Redis scenarios run against a redis-server of the bench's own (never the shared one).
 *
 * Run alone: node --import tsx bench/rate-limit.ts   (also part of `npm run bench`)
 * (`--worker …` and `--idle …` are child-process modes.)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { ResolvedRateLimit } from '../src/options.js';
import { createRateLimiter } from '../src/pipeline/rate-limit/rate-limiter.js';
import { OwnRedis, redisServerBinary } from '../test/rate-limit/own-redis.js';
import { fleetFigures } from './rate-limit-fleet.js';
import type { BenchSection, Figure } from './section.js';

const endpoint = '/accounts/balance/get';
const spec = { limit: 10, intervalMs: 1_000 };
const loose = { limit: 1_000_000, intervalMs: 1_000 };
const calls = 100;
const maxLatencyMs = 300;
const self = fileURLToPath(import.meta.url);

type Level = 'item' | 'endpoint';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function settingsFor(level: Level, redis?: { client: Redis; prefix: string }): ResolvedRateLimit {
  return {
    limits: {
      [endpoint]: level === 'item' ? { perEndpoint: loose, perItem: spec } : { perEndpoint: spec, perItem: loose },
    },
    maxQueued: 10_000,
    maxWaitMs: undefined,
    backgroundShare: 1,
    redis: redis && { ...redis, timeoutMs: 2_000 },
  };
}

/** Fires `count` calls at once; each reaches the "server" after a random delay and answers after another. */
async function fire(
  level: Level,
  count: number,
  redis?: { client: Redis; prefix: string },
  latencyMs = maxLatencyMs,
): Promise<number[]> {
  const limiter = createRateLimiter(settingsFor(level, redis), 'sandbox', () => {});
  const arrivals: number[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limiter.schedule({ endpoint, itemId: level === 'item' ? 'item-1' : `item-${i}` }, async () => {
        const latency = Math.random() * latencyMs;
        const there = Math.random() * latency;
        await sleep(there);
        arrivals.push(Date.now());
        await sleep(latency - there);
      }),
    ),
  );
  await limiter.close();
  return arrivals;
}

function maxInWindow(times: number[], intervalMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (j < sorted.length && (sorted[j] as number) - (sorted[i] as number) < intervalMs) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}

/** Arrivals per window over the burst, after the first window's burst, / the limit. */
function rateRatio(arrivals: number[]): number {
  const first = Math.min(...arrivals);
  const last = Math.max(...arrivals);
  return (arrivals.length - spec.limit) / (((last - first) / spec.intervalMs) * spec.limit);
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`child exited with ${code}`))));
  });
}

async function arrivalFigures(server: OwnRedis | undefined): Promise<Figure[]> {
  const figures: Figure[] = [];
  // mean round trip maxLatencyMs / 2: a slot cycles every window plus that, so this is the ceiling
  const ceiling = spec.intervalMs / (spec.intervalMs + maxLatencyMs / 2);
  const report = (scenario: string, arrivals: number[], minimumRate = 0.8, ceilingNow = ceiling) => {
    const most = maxInWindow(arrivals, spec.intervalMs);
    const rate = rateRatio(arrivals);
    figures.push(
      {
        name: `${scenario}: most arrivals in any window (limit ${spec.limit})`,
        value: String(most),
        target: `≤ ${spec.limit}`,
        met: most <= spec.limit,
      },
      {
        name: `${scenario}: achieved rate / configured rate (ceiling with this latency ${ceilingNow.toFixed(2)})`,
        value: `${rate.toFixed(3)}×`,
        target: `≥ ${minimumRate}×`,
        met: rate >= minimumRate,
      },
    );
  };
  for (const level of ['item', 'endpoint'] as const) {
    report(`one process, per ${level === 'item' ? 'Item' : 'endpoint'}`, await fire(level, calls));
  }
  if (!server) return figures;
  for (const level of ['item', 'endpoint'] as const) {
    const prefix = `bench-${randomUUID()}`;
    const outputs = await Promise.all(
      [0, 1].map(() => runChild([self, '--worker', server.url, prefix, level, String(calls / 2)])),
    );
    const arrivals = outputs.flatMap((output) => JSON.parse(output.trim().split('\n').at(-1) as string) as number[]);
    report(`2 processes over Redis, per ${level === 'item' ? 'Item' : 'endpoint'}`, arrivals);
  }
  // no latency: what the shared windows themselves cost in rate
  const prefix = `bench-${randomUUID()}`;
  const outputs = await Promise.all(
    [0, 1].map(() => runChild([self, '--worker', server.url, prefix, 'endpoint', String(calls / 2), '0'])),
  );
  const arrivals = outputs.flatMap((output) => JSON.parse(output.trim().split('\n').at(-1) as string) as number[]);
  report('2 processes over Redis, per endpoint, no latency', arrivals, 0.95, 1);
  return figures;
}

/** Child: `count` Items with one call each, then one window of idleness: prints heap and CPU figures. */
async function idleChild(mode: 'process' | 'redis', count: number, url?: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const client = url ? new Redis(url) : undefined;
  const windowMs = 1_000;
  const limiter = createRateLimiter(
    {
      limits: {
        [endpoint]: {
          perEndpoint: { limit: 1_000_000, intervalMs: windowMs },
          perItem: { limit: 5, intervalMs: windowMs },
        },
      },
      maxQueued: 1_000,
      maxWaitMs: undefined,
      backgroundShare: 1,
      redis: client && { client, prefix: `bench-idle-${randomUUID()}`, timeoutMs: 5_000 },
    },
    'sandbox',
    () => {},
  );
  await limiter.schedule({ endpoint }, async () => {}); // the endpoint's limit exists before the baseline
  await sleep(windowMs + 100);
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const batch = mode === 'redis' ? 200 : 5_000;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
        limiter.schedule({ endpoint, itemId: `item-${i + j}` }, async () => {}),
      ),
    );
  }
  await sleep(windowMs + 200); // one window after the last call
  gc();
  const retainedMb = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
  const admin = url ? new Redis(url) : undefined;
  const commandsBefore = admin ? await totalCommands(admin) : 0;
  const cpuBefore = process.cpuUsage();
  const idleMs = 3_000;
  await sleep(idleMs);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1_000 / idleMs;
  // minus the INFO that took the first count
  const idleCommandsPerSecond = admin ? ((await totalCommands(admin)) - commandsBefore - 1) / (idleMs / 1_000) : 0;
  const keys = admin ? await admin.dbsize() : 0;
  const channels = admin ? ((await admin.pubsub('CHANNELS', '*')) as string[]).length : 0;
  await admin?.quit();
  process.stdout.write(`${JSON.stringify({ retainedMb, cpuShare, idleCommandsPerSecond, keys, channels })}\n`);
  await limiter.close();
  await client?.quit();
}

async function totalCommands(admin: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);
}

interface IdleResult {
  retainedMb: number;
  cpuShare: number;
  idleCommandsPerSecond: number;
  keys: number;
  channels: number;
}

async function idle(args: string[]): Promise<IdleResult> {
  const output = await runChild(['--expose-gc', self, '--idle', ...args]);
  return JSON.parse(output.trim().split('\n').at(-1) as string) as IdleResult;
}

async function idleFigures(server: OwnRedis | undefined): Promise<Figure[]> {
  const figures: Figure[] = [];
  const local = await idle(['process', '100000']);
  figures.push(
    {
      name: 'one process, 100,000 Items called once: heap retained one window later',
      value: `${local.retainedMb.toFixed(1)} MB`,
      target: '≤ 20 MB',
      met: local.retainedMb <= 20,
    },
    {
      name: 'one process, 100,000 Items: CPU while idle afterwards (share of a core)',
      value: `${(local.cpuShare * 100).toFixed(2)} %`,
      target: '≤ 2 %',
      met: local.cpuShare <= 0.02,
    },
  );
  if (!server) return figures;
  const admin = new Redis(server.url);
  await admin.flushall(); // the bench's own server: only its earlier scenarios' keys
  await admin.quit();
  const { keys, channels, idleCommandsPerSecond } = await idle(['redis', '10000', server.url]);
  figures.push(
    {
      name: 'Redis, 10,000 Items called once: keys left one window later',
      value: String(keys),
      target: '≤ 100',
      met: keys <= 100,
    },
    { name: 'Redis: pub/sub channels', value: String(channels), target: '≤ 10', met: channels <= 10 },
    {
      name: 'Redis: commands per second while idle',
      value: idleCommandsPerSecond.toFixed(1),
      target: '≤ 50',
      met: idleCommandsPerSecond <= 50,
    },
  );
  return figures;
}

/** Redis round trips (scripts), the commands run inside them and the time added, per uncontended call. */
async function perCall(
  server: OwnRedis,
  withItem: boolean,
): Promise<{ scripts: number; inside: number; addedMs: number }> {
  const admin = new Redis(server.url);
  const client = new Redis(server.url);
  const limits = {
    [endpoint]: withItem
      ? { perEndpoint: { limit: 1_200, intervalMs: 60_000 }, perItem: { limit: 5, intervalMs: 60_000 } }
      : { perEndpoint: { limit: 1_200, intervalMs: 60_000 } },
  };
  const limiter = createRateLimiter(
    {
      limits,
      maxQueued: 1_000,
      maxWaitMs: undefined,
      backgroundShare: 1,
      redis: { client, prefix: `bench-cmd-${randomUUID()}`, timeoutMs: 2_000 },
    },
    'sandbox',
    () => {},
  );
  const inProcess = createRateLimiter(
    { limits, maxQueued: 1_000, maxWaitMs: undefined, backgroundShare: 1, redis: undefined },
    'sandbox',
    () => {},
  );
  await limiter.schedule({ endpoint, itemId: 'warm-up' }, async () => {});
  await sleep(50);
  await admin.config('RESETSTAT');
  const count = 200;
  const startedAt = performance.now();
  for (let i = 0; i < count; i += 1) await limiter.schedule({ endpoint, itemId: `item-${i}` }, async () => {});
  const sharedMs = (performance.now() - startedAt) / count;
  await sleep(50); // the last settle reaches Redis
  const stats = await admin.info('commandstats');
  const localStart = performance.now();
  for (let i = 0; i < count; i += 1) await inProcess.schedule({ endpoint, itemId: `item-${i}` }, async () => {});
  const localMs = (performance.now() - localStart) / count;
  await Promise.all([limiter.close(), inProcess.close()]);
  // The limiter sends only scripts (EVALSHA, EVAL after a script flush): one round trip each.
  // commandstats also counts the commands each script runs inside Redis.
  let scripts = 0;
  let inside = 0;
  for (const [, name, calls] of stats.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    if (name === 'evalsha' || name === 'eval') scripts += Number(calls);
    else if (!['info', 'config|resetstat', 'quit', 'publish'].includes(name as string)) inside += Number(calls);
  }
  await admin.quit();
  await client.quit();
  return { scripts: scripts / count, inside: inside / count, addedMs: sharedMs - localMs };
}

async function commandFigures(server: OwnRedis): Promise<Figure[]> {
  const balance = await perCall(server, true);
  const plain = await perCall(server, false);
  return [
    {
      name: 'Redis round trips (scripts) per uncontended balance call (Item window, endpoint window)',
      value: balance.scripts.toFixed(2),
      target: '≤ 2',
      met: balance.scripts <= 2,
    },
    {
      name: 'Redis round trips per uncontended call of an endpoint without Item windows',
      value: plain.scripts.toFixed(2),
      target: '≤ 2',
      met: plain.scripts <= 2,
    },
    { name: 'Redis commands run inside those scripts, per balance call', value: balance.inside.toFixed(1) },
    {
      name: 'time the shared limiter adds to a call that finds room (Redis on loopback, vs in process)',
      value: `${balance.addedMs.toFixed(2)} ms`,
    },
  ];
}

/** The rate-limit section of the report. */
export async function run(): Promise<BenchSection> {
  const binary = redisServerBinary();
  const server = binary ? await OwnRedis.start(binary) : undefined;
  try {
    const figures = [
      ...(await arrivalFigures(server)),
      ...(await idleFigures(server)),
      ...(server ? await commandFigures(server) : []),
      ...(server ? await fleetFigures(server) : []),
    ];
    return {
      title: 'Rate limiter: arrivals, idle cost, Redis round trips, fleet, outages, lanes, Cluster',
      method:
        `Bursts of ${calls} calls through a limit of ${spec.limit} per ${spec.intervalMs} ms; every call takes 0–${maxLatencyMs} ms ` +
        '(uniform), split at random between the way to the server and the way back, and its arrival is timed at the server. ' +
        'Per Item: all calls for one Item; per endpoint: one call per Item. Two processes share the limit through a ' +
        "redis-server of the bench's own. Idle cost: Items called once each, then one window (1 s here) and 3 s of idleness; " +
        'heap measured after gc, over a baseline taken with the limiter created. Fleet: 8 child processes; Redis 20 ms away ' +
        'through a TCP proxy delaying each chunk 10 ms each way; outages of BENCH_OUTAGE_MS (default 12 s); the Cluster ' +
        'figures when PLAID_FACADE_REDIS_CLUSTER_NODES is set.',
      figures,
    };
  } finally {
    await server?.kill();
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--worker') {
  const [url, prefix, level, count, latency] = rest as [string, string, Level, string, string | undefined];
  const client = new Redis(url);
  await client.ping();
  const arrivals = await fire(
    level,
    Number(count),
    { client, prefix },
    latency === undefined ? maxLatencyMs : Number(latency),
  );
  process.stdout.write(`${JSON.stringify(arrivals)}\n`);
  await client.quit();
} else if (mode === '--idle') {
  const [kind, count, url] = rest as ['process' | 'redis', string, string | undefined];
  await idleChild(kind, Number(count), url);
} else if (process.argv[1] === self) {
  process.on('unhandledRejection', (error) => console.error('unhandled rejection:', error));
  const section = await run();
  console.log(section.title);
  for (const f of section.figures) {
    console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
  }
}
