/**
 * Coalescing across processes: 4 processes of one service, each making 2 concurrent reads of the
 * same Item with `maxAgeMs`, share a `RedisBalanceCache` (a redis-server of the bench's own) and
 * one fake Plaid, which counts the billed calls.
 *
 * Run alone: node --import tsx bench/balance-lease.ts   (also part of `npm run bench`)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createPlaidFacade } from '../src/index.js';
import { RedisBalanceCache, RedisTokenStore } from '../src/stores/redis.js';
import { createFakePlaid } from '../src/testing/index.js';
import { OwnRedis, redisServerBinary } from '../test/rate-limit/own-redis.js';
import type { BenchSection, Figure } from './section.js';

const self = fileURLToPath(import.meta.url);
const processes = 4;
const readsPerProcess = 2;
type Mode = 'lease' | 'coalesce: false' | 'no maxAgeMs';
const prefix = 'bench-lease:';

/** One process: a facade over the shared Redis; on "go", 2 concurrent reads; prints how they were served. */
async function child(plaidUrl: string, redisUrl: string, itemId: string, mode: Mode): Promise<void> {
  const redis = new Redis(redisUrl);
  const plaid = createPlaidFacade({
    clientId: 'bench',
    secret: 'bench-secret',
    basePath: plaidUrl,
    rateLimit: false,
    tokenStore: new RedisTokenStore({ client: redis, prefix: `${prefix}tokens:` }),
    balanceCache: new RedisBalanceCache({
      client: redis,
      prefix: `${prefix}${mode}:`,
      coalesce: mode !== 'coalesce: false',
    }),
  });
  // Warm: the connections and the code paths (a live read, uncached), so that the reads start together.
  await plaid.getBalances({ userId: 'u1', itemId });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const maxAgeMs = mode === 'no maxAgeMs' ? 0 : 60_000;
  const reads = await Promise.all(
    Array.from({ length: readsPerProcess }, () => plaid.getBalances({ userId: 'u1', itemId, maxAgeMs })),
  );
  process.stdout.write(`${JSON.stringify(reads.map((read) => read.source))}\n`);
  await plaid.close();
  redis.disconnect();
  // stdin (the "go" signal) would keep the process alive.
  process.exit(0);
}

/** Starts the processes, lets them read together, and waits for their answers. */
async function round(
  plaidUrl: string,
  redisUrl: string,
  itemId: string,
  mode: Mode,
  onReady: () => void,
): Promise<string[]> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', self, 'child', plaidUrl, redisUrl, itemId, mode], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const exits = children.map((c) => new Promise((resolve) => c.once('exit', resolve)));
  const lines = children.map((c) => createInterface({ input: c.stdout })[Symbol.asyncIterator]());
  for (const line of lines) if ((await line.next()).value !== 'ready') throw new Error('child did not start');
  onReady();
  for (const c of children) c.stdin.write('go\n');
  const sources: string[] = [];
  for (const line of lines) sources.push(...(JSON.parse((await line.next()).value as string) as string[]));
  for (const c of children) c.stdin.end();
  await Promise.all(exits);
  return sources;
}

/** Billed calls for 4 processes × 2 concurrent reads of one Item. */
export async function run(): Promise<BenchSection> {
  const title = 'Coalescing balance reads across processes';
  const binary = redisServerBinary();
  if (!binary) return { title, method: 'Skipped: no redis-server installed.', figures: [] };
  const own = await OwnRedis.start(binary);
  // 300 ms per answer: the reads of all processes overlap, as they would against Plaid.
  const fake = createFakePlaid({ clientId: 'bench', secret: 'bench-secret', latencyMs: 300 });
  const server = await fake.listen();
  const redis = new Redis(own.url);
  const figures: Figure[] = [];
  try {
    const setup = createPlaidFacade({
      clientId: 'bench',
      secret: 'bench-secret',
      basePath: server.url,
      rateLimit: false,
      tokenStore: new RedisTokenStore({ client: redis, prefix: `${prefix}tokens:` }),
    });
    const { itemId } = await setup.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
    await setup.close();
    const targets: Record<Mode, number | undefined> = {
      lease: 1,
      'coalesce: false': undefined,
      'no maxAgeMs': undefined,
    };
    for (const mode of ['lease', 'coalesce: false', 'no maxAgeMs'] as const) {
      let before = 0;
      const sources = await round(server.url, own.url, itemId, mode, () => {
        before = fake.billedCalls;
      });
      const billed = fake.billedCalls - before;
      const target = targets[mode];
      figures.push({
        name: `billed calls, ${processes} processes × ${readsPerProcess} concurrent reads of one Item: ${mode === 'lease' ? 'RedisBalanceCache (lease), maxAgeMs 60000' : mode}`,
        value: `${billed} (reads served: ${sources.filter((s) => s === 'live').length} live, ${sources.filter((s) => s === 'cache').length} cache)`,
        ...(target === undefined ? {} : { target: `${target}`, met: billed <= target }),
      });
    }
  } finally {
    redis.disconnect();
    await server.close();
    await own.kill();
  }
  return {
    title,
    method: `${processes} Node processes, each with its own facade over one \`RedisBalanceCache\` and \`RedisTokenStore\` (a redis-server of the bench's own), start ${readsPerProcess} concurrent \`getBalances\` of the same Item together, against one fake Plaid answering in 300 ms that counts billed calls. Without a lease, single-flight saves the calls within each process only.`,
    figures,
  };
}

if (process.argv[2] === 'child') {
  const [plaidUrl, redisUrl, itemId, mode] = process.argv.slice(3) as [string, string, string, Mode];
  await child(plaidUrl, redisUrl, itemId, mode);
} else if (process.argv[1] === self) {
  const section = await run();
  console.log(section.title);
  for (const f of section.figures) {
    console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
  }
}
