/**
 * The shared engine at fleet scale (issue #20's numbers), against servers of the bench's own:
 * - 8 processes saturating a small endpoint limit: most arrivals in any window, rate, Redis
 *   commands per Plaid call;
 * - one process with Redis 20 ms away (a delaying TCP proxy): rate;
 * - 4 limiters through an outage of 12 s (Redis killed, or frozen): first success after Redis answers;
 * - a background sweep saturating its lane: interactive calls' p95 wait;
 * - on the CI's Redis Cluster (PLAID_FACADE_REDIS_CLUSTER_NODES), when set: Item windows per
 *   master for 2,000 Items, CROSSSLOT errors, round trips per call.
 * Part of bench/rate-limit.ts (`--saturate …` is a child-process mode).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import type { ResolvedRateLimit } from '../src/options.js';
import { createRateLimiter } from '../src/pipeline/rate-limit/rate-limiter.js';
import type { OwnRedis } from '../test/rate-limit/own-redis.js';
import { TcpProxy } from '../test/rate-limit/tcp-proxy.js';
import { type Figure, percentile } from './section.js';

const endpoint = '/accounts/balance/get';
const self = fileURLToPath(import.meta.url);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outageMs = Number(process.env.BENCH_OUTAGE_MS ?? 12_000);

function settings(
  client: Redis | Cluster,
  prefix: string,
  perEndpoint: { limit: number; intervalMs: number },
  backgroundShare = 0.5,
): ResolvedRateLimit {
  return {
    limits: { [endpoint]: { perEndpoint, perItem: { limit: 1_000_000, intervalMs: 60_000 } } },
    maxQueued: 100_000,
    maxWaitMs: undefined,
    backgroundShare,
    redis: { client, prefix, timeoutMs: 1_000 },
  };
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

/** Starts after the first window's burst, per window, / the limit. */
function rateRatio(arrivals: number[], spec: { limit: number; intervalMs: number }): number {
  const first = Math.min(...arrivals);
  const last = Math.max(...arrivals);
  return (arrivals.length - spec.limit) / (((last - first) / spec.intervalMs) * spec.limit);
}

/** Scripts (round trips: the limiter sends nothing else) and every command Redis ran, scripts' own included. */
async function counts(admin: Redis): Promise<{ scripts: number; total: number }> {
  const stats = await admin.info('commandstats');
  let scripts = 0;
  let total = 0;
  for (const [, name, calls] of stats.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    if (name === 'evalsha' || name === 'eval') scripts += Number(calls);
    total += Number(calls);
  }
  return { scripts, total };
}

/** Child: `calls` balance calls at once through a limiter on `url`; prints their start times. */
async function saturateChild(url: string, prefix: string, calls: number, limit: number): Promise<void> {
  const client = new Redis(url);
  await client.ping();
  const limiter = createRateLimiter(settings(client, prefix, { limit, intervalMs: 1_000 }), 'sandbox', () => {});
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, (_, i) =>
      limiter.schedule({ endpoint, itemId: `item-${i}` }, async () => {
        starts.push(Date.now());
      }),
    ),
  );
  process.stdout.write(`${JSON.stringify(starts)}\n`);
  await limiter.close();
  await client.quit();
}

async function saturate(server: OwnRedis): Promise<Figure[]> {
  const processes = 8;
  const spec = { limit: 40, intervalMs: 1_000 };
  const callsEach = 40;
  const prefix = `bench-fleet-${randomUUID()}`;
  const admin = new Redis(server.url);
  const children = Array.from({ length: processes }, () =>
    spawn(
      process.execPath,
      ['--import', 'tsx', self, '--saturate', server.url, prefix, String(callsEach), String(spec.limit)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  const outputs = children.map((child) => {
    let text = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.startsWith('ready\n')) resolve();
      }),
    );
    const done = new Promise<number[]>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0
          ? resolve(JSON.parse(text.trim().split('\n').at(-1) as string) as number[])
          : reject(new Error(`exit ${code}`)),
      ),
    );
    return { ready, done };
  });
  await Promise.all(outputs.map((output) => output.ready));
  const before = await counts(admin);
  for (const child of children) child.stdin.write('go\n');
  const starts = (await Promise.all(outputs.map((output) => output.done))).flat();
  await sleep(100); // the last settles
  const after = await counts(admin);
  await admin.quit();
  const most = maxInWindow(starts, spec.intervalMs);
  const rate = rateRatio(starts, spec);
  const perCall = (after.scripts - before.scripts) / starts.length;
  const insidePerCall = (after.total - before.total - (after.scripts - before.scripts)) / starts.length;
  return [
    {
      name: `${processes} processes saturating ${spec.limit}/s: most starts in any window`,
      value: String(most),
      target: `≤ ${spec.limit}`,
      met: most <= spec.limit,
    },
    {
      name: `${processes} processes: achieved rate / configured rate`,
      value: `${rate.toFixed(3)}×`,
      target: '≥ 0.95×',
      met: rate >= 0.95,
    },
    {
      name: `${processes} processes: Redis commands (scripts: round trips) per Plaid call`,
      value: perCall.toFixed(2),
      target: '≤ 6',
      met: perCall <= 6,
    },
    {
      name: `${processes} processes: commands run inside those scripts, per Plaid call`,
      value: insidePerCall.toFixed(1),
    },
  ];
}

async function far(server: OwnRedis): Promise<Figure[]> {
  const proxy = await TcpProxy.start(server.port, 10); // 10 ms each way: 20 ms round trips
  const client = new Redis(proxy.url);
  await client.ping();
  const spec = { limit: 40, intervalMs: 1_000 };
  const limiter = createRateLimiter(settings(client, `bench-far-${randomUUID()}`, spec), 'sandbox', () => {});
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: 240 }, (_, i) =>
      limiter.schedule({ endpoint, itemId: `item-${i}` }, async () => {
        starts.push(Date.now());
      }),
    ),
  );
  await limiter.close();
  client.disconnect();
  await proxy.close();
  const rate = rateRatio(starts, spec);
  return [
    {
      name: 'one process, Redis 20 ms away (proxy): achieved rate / 40 per second',
      value: `${rate.toFixed(3)}×`,
      target: '≥ 0.9×',
      met: rate >= 0.9,
    },
  ];
}

/** 4 limiters calling in a loop; Redis killed (or frozen) for `outageMs`; time to each one's first success after. */
async function outage(server: OwnRedis, how: 'kill' | 'freeze'): Promise<Figure[]> {
  const prefix = `bench-outage-${randomUUID()}`;
  const spec = { limit: 40, intervalMs: 1_000 };
  const clients = Array.from({ length: 4 }, () => new Redis(server.url, { maxRetriesPerRequest: 0 }));
  for (const client of clients) client.on('error', () => {});
  const limiters = clients.map((client) => createRateLimiter(settings(client, prefix, spec), 'sandbox', () => {}));
  let answeringAt = Number.POSITIVE_INFINITY;
  const firstAfter: number[] = limiters.map(() => Number.NaN);
  let stop = false;
  const loops = limiters.map(async (limiter, index) => {
    for (let i = 0; !stop; i += 1) {
      const ok = await limiter
        .schedule({ endpoint, itemId: `item-${index}-${i}` }, async () => true)
        .catch(() => false);
      if (ok && Date.now() >= answeringAt && Number.isNaN(firstAfter[index]))
        firstAfter[index] = Date.now() - answeringAt;
      if (!ok) await sleep(20);
    }
  });
  await sleep(2_000); // steady state: slots in flight and held when Redis goes
  if (how === 'kill') await server.kill();
  else server.freeze();
  await sleep(outageMs);
  if (how === 'kill') await server.restart();
  else server.thaw();
  answeringAt = Date.now();
  await sleep(3_000);
  stop = true;
  await Promise.all(loops);
  await Promise.all(limiters.map((limiter) => limiter.close()));
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  const worst = Math.max(...firstAfter.map((ms) => (Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms)));
  return [
    {
      name: `4 limiters, Redis ${how === 'kill' ? 'killed' : 'frozen'} ${outageMs / 1_000} s: slowest first success after Redis answers`,
      value: `${worst} ms`,
      target: '≤ 2,000 ms',
      met: worst <= 2_000,
    },
  ];
}

async function lanes(server: OwnRedis): Promise<Figure[]> {
  const client = new Redis(server.url);
  const spec = { limit: 20, intervalMs: 1_000 };
  const limiter = createRateLimiter(settings(client, `bench-lanes-${randomUUID()}`, spec), 'sandbox', () => {});
  let stop = false;
  // the sweep: always more background calls waiting than its share lets through
  const sweep = (async () => {
    for (let i = 0; !stop; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          limiter.schedule({ endpoint, itemId: `bg-${i + j}`, lane: 'background' }, async () => {}).catch(() => {}),
        ),
      );
    }
  })();
  await sleep(1_500);
  const waits: number[] = [];
  for (let i = 0; i < 40; i += 1) {
    const askedAt = performance.now();
    await limiter.schedule({ endpoint, itemId: `ui-${i}` }, async () => waits.push(performance.now() - askedAt));
    await sleep(150);
  }
  stop = true;
  await limiter.close();
  await sweep;
  await client.quit();
  const p95 = percentile(waits, 95);
  const slot = spec.intervalMs / spec.limit;
  return [
    {
      name: `lanes: interactive p95 wait while a background sweep saturates its share (slot interval ${slot} ms)`,
      value: `${p95.toFixed(1)} ms`,
      target: `≤ ${2 * slot} ms`,
      met: p95 <= 2 * slot,
    },
  ];
}

async function clusterFigures(): Promise<Figure[]> {
  const nodes = process.env.PLAID_FACADE_REDIS_CLUSTER_NODES?.split(',').map((node) => {
    const [host = '127.0.0.1', port = ''] = node.split(':');
    return { host, port: Number(port) };
  });
  if (!nodes) return [];
  const client = new Cluster(nodes);
  const admin = new Cluster(nodes);
  const prefix = `bench-cluster-${randomUUID()}`;
  const limiter = createRateLimiter(
    settings(client, prefix, { limit: 1_000_000, intervalMs: 60_000 }),
    'sandbox',
    () => {},
  );
  let crossSlot = 0;
  for (let batch = 0; batch < 10; batch += 1) {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        limiter
          .schedule({ endpoint, itemId: `item-${batch * 200 + i}` }, async () => {})
          .catch((error: unknown) => {
            if (String(error).includes('CROSSSLOT')) crossSlot += 1;
          }),
      ),
    );
  }
  const shares: number[] = [];
  for (const master of admin.nodes('master')) {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await master.scan(cursor, 'MATCH', `{${prefix}:sandbox:${endpoint}:item:*`, 'COUNT', 1_000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    shares.push(count / 2_000);
  }
  const masters = admin.nodes('master');
  const scripts = async () => {
    let sum = 0;
    for (const master of masters) {
      const stats = await master.info('commandstats');
      for (const [, name, calls] of stats.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
        if (name === 'evalsha' || name === 'eval') sum += Number(calls);
      }
    }
    return sum;
  };
  const before = await scripts();
  for (let i = 0; i < 100; i += 1) await limiter.schedule({ endpoint, itemId: `rt-${i}` }, async () => {});
  await sleep(100);
  const perCall = ((await scripts()) - before) / 100;
  await limiter.close();
  client.disconnect();
  admin.disconnect();
  const least = Math.min(...shares);
  return [
    {
      name: 'Cluster, 2,000 Items: share of Item windows on the least-loaded of 3 masters',
      value: `${(least * 100).toFixed(1)} %`,
      target: '≥ 15 %',
      met: least >= 0.15 && shares.length === 3,
    },
    { name: 'Cluster: CROSSSLOT errors', value: String(crossSlot), target: '0', met: crossSlot === 0 },
    {
      name: 'Cluster: scripts per uncontended call (2 takes in turn, 2 settles at once: 3 round trips)',
      value: perCall.toFixed(2),
      target: '≤ 4 (3 round trips)',
      met: perCall <= 4,
    },
  ];
}

/**
 * Every fleet figure, against `server` (the bench's own redis-server; killed and restarted here).
 * `onFigure` sees each as it is measured (a long run shows progress).
 */
export async function fleetFigures(server: OwnRedis, onFigure: (figure: Figure) => void = () => {}): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const scenario of [
    () => saturate(server),
    () => far(server),
    () => lanes(server),
    () => outage(server, 'freeze'),
    () => outage(server, 'kill'),
    () => clusterFigures(),
  ]) {
    for (const figure of await scenario()) {
      figures.push(figure);
      onFigure(figure);
    }
  }
  return figures;
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--saturate') {
  const [url, prefix, calls, limit] = rest as [string, string, string, string];
  await saturateChild(url, prefix, Number(calls), Number(limit));
  process.exit(0);
} else if (process.argv[1] === self) {
  // alone: node --import tsx bench/rate-limit-fleet.ts
  process.on('unhandledRejection', (error) => console.error('unhandled rejection:', error));
  const { OwnRedis, redisServerBinary } = await import('../test/rate-limit/own-redis.js');
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is needed');
  const server = await OwnRedis.start(binary);
  try {
    await fleetFigures(server, (f) =>
      console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`),
    );
  } finally {
    await server.kill();
  }
}
