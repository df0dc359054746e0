/**
 * CPU per balance call of the raw client, of the facade built at an earlier commit and of the
 * facade built now, in one process, in interleaved rounds (issue #25): a before/after that does not
 * depend on how loaded the machine was in two separate runs.
 *
 *   git worktree add --detach /tmp/before <commit> && (cd /tmp/before && npm ci && npm run build)
 *   npm run build && node --import tsx bench/cpu-before-after.ts /tmp/before 4
 *   node --import tsx bench/cpu-before-after.ts /tmp/before 100 11 20
 *
 * argv: the earlier checkout (with its dist/), accounts per Item (default 4), rounds (default 15),
 * calls per round (default 40, 20 from 10 accounts up). Both facades share one token store and the
 * fake Plaid, which runs in a process of its own. Prints medians of CPU per call (`process.cpuUsage`)
 * and of the per-round ratios to the raw client.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Configuration, PlaidApi } from 'plaid';
import { median } from './section.js';
import { startFake } from './start-fake.js';

type Facades = typeof import('../src/index.js');

const [beforeDir, accountsArg, roundsArg, callsArg] = process.argv.slice(2);
if (!beforeDir) throw new Error('usage: cpu-before-after.ts <earlier checkout> [accounts] [rounds] [calls]');
const accounts = Number(accountsArg ?? 4);
const rounds = Number(roundsArg ?? 15);
const callsPerRound = Number(callsArg ?? (accounts >= 10 ? 20 : 40));

const before = (await import(pathToFileURL(resolve(beforeDir, 'dist/index.js')).href)) as Facades;
const now = (await import(new URL('../dist/index.js', import.meta.url).href)) as Facades;

const { url, publicTokens, stop: stopFake } = await startFake(0, accounts);

// Limits far above the bench's pace, as in overhead.ts: the limiter is on the path, never waits.
const generous = { limit: 1_000_000, intervalMs: 1_000 };
const rateLimit = { endpoints: { '/accounts/balance/get': generous }, perItem: { '/accounts/balance/get': generous } };
const tokenStore = new before.MemoryTokenStore();
const settings = { clientId: 'bench', secret: 'bench-secret', basePath: url, rateLimit, tokenStore };
const facadeBefore = before.createPlaidFacade(settings);
const facadeNow = now.createPlaidFacade(settings);
const { itemId } = await facadeBefore.exchange({ userId: 'bench-user', publicToken: publicTokens[0] as string });
const headers = { 'PLAID-CLIENT-ID': 'bench', 'PLAID-SECRET': 'bench-secret' };
const raw = new PlaidApi(new Configuration({ basePath: url, baseOptions: { headers } }));
const accessToken = (await raw.itemPublicTokenExchange({ public_token: publicTokens[1] as string })).data.access_token;

const sides: Array<{ name: string; call: () => Promise<unknown>; cpuUs: number[]; ratios: number[] }> = [
  { name: 'raw client', call: () => raw.accountsBalanceGet({ access_token: accessToken }), cpuUs: [], ratios: [] },
  {
    name: `facade at ${beforeDir}`,
    call: () => facadeBefore.getBalances({ userId: 'bench-user', itemId }),
    cpuUs: [],
    ratios: [],
  },
  { name: 'facade now', call: () => facadeNow.getBalances({ userId: 'bench-user', itemId }), cpuUs: [], ratios: [] },
];
// Warm-up: about a thousand calls each before the JIT settles (see overhead.ts).
for (let i = 0; i < 1_000; i++) for (const side of sides) await side.call();
for (let round = 0; round < rounds; round++) {
  const order = [...sides.slice(round % sides.length), ...sides.slice(0, round % sides.length)];
  for (const side of order) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < callsPerRound; i++) await side.call();
    const used = process.cpuUsage(cpu);
    side.cpuUs.push((used.user + used.system) / callsPerRound);
  }
  const rawUs = sides[0]?.cpuUs.at(-1) as number;
  for (const side of sides) side.ratios.push((side.cpuUs.at(-1) as number) / rawUs);
}
console.log(`${accounts} accounts, ${rounds} rounds of ${callsPerRound} calls each way:`);
for (const side of sides) {
  console.log(
    `  ${side.name}: ${median(side.cpuUs).toFixed(0)} µs of CPU per call, ${median(side.ratios).toFixed(3)}×`,
  );
}
await facadeBefore.close();
await facadeNow.close();
await stopFake();
