import { fileURLToPath } from 'node:url';
import { Configuration, PlaidApi } from 'plaid';
import { createPlaidFacade, type RateLimitOptions } from 'plaid-facade';
import { accountsBalanceGetResponseSchema } from '../src/schemas/accounts-balance-get.js';
import { type BenchSection, type Figure, median, ratio } from './section.js';
import { startFake } from './start-fake.js';

/**
 * Limits far above the bench's pace: the limiter is on the path but never makes a call wait. A
 * slot is held for the window after its call settles; a one-second window keeps about as many slots
 * held as the bench makes calls in a second (about a thousand), as many as Plaid's production
 * balance limit (1,200 a minute) can ever hold. A minute's window at this pace would hold sixty
 * times more than any real limit allows.
 */
const generousLimits: RateLimitOptions = {
  endpoints: { '/accounts/balance/get': { limit: 1_000_000, intervalMs: 1_000 } },
  perItem: { '/accounts/balance/get': { limit: 1_000_000, intervalMs: 1_000 } },
};

interface Scenario {
  name: string;
  rateLimit: RateLimitOptions | false;
  latencyMs: number;
  rounds: number;
  callsPerRound: number;
  /** Accounts per Item; default the fake's three. */
  accounts?: number;
  /** Whether the scenario's figure is CPU per call (#25's ≤ 1.25× target) rather than wall time. */
  cpuTarget?: boolean;
}

/** #25: the facade's CPU per call at most this many times the raw client's. */
const cpuTarget = 1.25;

const scenarios: Scenario[] = [
  {
    name: 'rate limiter on, instant fake Plaid',
    rateLimit: generousLimits,
    latencyMs: 0,
    rounds: 15,
    callsPerRound: 40,
  },
  { name: 'rate limiter off, instant fake Plaid', rateLimit: false, latencyMs: 0, rounds: 15, callsPerRound: 40 },
  {
    name: 'rate limiter on, fake Plaid answering in 100 ms',
    rateLimit: generousLimits,
    latencyMs: 100,
    rounds: 5,
    callsPerRound: 6,
  },
  {
    name: 'CPU, 4 accounts (about 2 KB), rate limiter on, instant fake Plaid',
    rateLimit: generousLimits,
    latencyMs: 0,
    rounds: 15,
    callsPerRound: 40,
    accounts: 4,
    cpuTarget: true,
  },
  {
    name: 'CPU, 100 accounts (about 37 KB), rate limiter on, instant fake Plaid',
    rateLimit: generousLimits,
    latencyMs: 0,
    rounds: 15,
    callsPerRound: 20,
    accounts: 100,
    cpuTarget: true,
  },
];

interface Side {
  name: 'facade' | 'raw' | 'rawNoRedirects';
  call: () => Promise<unknown>;
  ms: number[];
  cpuUs: number[];
}

/**
 * Per-round ratios facade / raw client, rounds rotating which side goes first, against a fake
 * Plaid in its own process. The raw client is measured both as users configure it (axios follows
 * redirects) and as the facade builds its own (`maxRedirects: 0`).
 */
async function measure(scenario: Scenario): Promise<{
  ratio: number;
  ratioNoRedirects: number;
  facadeMs: number;
  rawMs: number;
  facadeCpuUs: number;
  rawCpuUs: number;
  /** Median of the per-round ratios of CPU per call, facade / raw client as users configure it. */
  cpuRatio: number;
  schemaMs: number;
}> {
  const fake = await startFake(scenario.latencyMs, scenario.accounts);
  try {
    const facade = createPlaidFacade({
      clientId: 'bench',
      secret: 'bench-secret',
      basePath: fake.url,
      rateLimit: scenario.rateLimit,
    });
    const { itemId } = await facade.exchange({ userId: 'bench-user', publicToken: fake.publicTokens[0] as string });
    const headers = { 'PLAID-CLIENT-ID': 'bench', 'PLAID-SECRET': 'bench-secret' };
    const raw = new PlaidApi(new Configuration({ basePath: fake.url, baseOptions: { headers } }));
    const rawNoRedirects = new PlaidApi(
      new Configuration({ basePath: fake.url, baseOptions: { headers, maxRedirects: 0 } }),
    );
    const accessToken = (await raw.itemPublicTokenExchange({ public_token: fake.publicTokens[1] as string })).data
      .access_token;
    const sides: Side[] = [
      { name: 'facade', call: () => facade.getBalances({ userId: 'bench-user', itemId }), ms: [], cpuUs: [] },
      { name: 'raw', call: () => raw.accountsBalanceGet({ access_token: accessToken }), ms: [], cpuUs: [] },
      {
        name: 'rawNoRedirects',
        call: () => rawNoRedirects.accountsBalanceGet({ access_token: accessToken }),
        ms: [],
        cpuUs: [],
      },
    ];
    // Warm-up: against the instant fake, zod's and the pipeline's code paths take about a thousand
    // calls to settle in the JIT; before that the rounds measure compilation, not the pipeline.
    for (let i = 0; i < (scenario.latencyMs === 0 ? 1_000 : 5); i++) {
      for (const side of sides) await side.call();
    }
    // What validating one answer costs: the schema alone, on the body the fake just sent (async:
    // a long array of accounts lets the event loop turn while it is checked).
    const body = (await raw.accountsBalanceGet({ access_token: accessToken })).data;
    const parses = 2_000;
    const parseStart = performance.now();
    for (let i = 0; i < parses; i++) await accountsBalanceGetResponseSchema.parseAsync(body);
    const schemaMs = (performance.now() - parseStart) / parses;
    const ratios: number[] = [];
    const ratiosNoRedirects: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 0; round < scenario.rounds; round++) {
      const order = [...sides.slice(round % 3), ...sides.slice(0, round % 3)];
      for (const side of order) {
        const cpu = process.cpuUsage();
        const start = performance.now();
        for (let i = 0; i < scenario.callsPerRound; i++) await side.call();
        side.ms.push((performance.now() - start) / scenario.callsPerRound);
        const used = process.cpuUsage(cpu);
        side.cpuUs.push((used.user + used.system) / scenario.callsPerRound);
      }
      const [f, r, n] = sides.map((side) => side.ms.at(-1) as number) as [number, number, number];
      ratios.push(f / r);
      ratiosNoRedirects.push(f / n);
      const [fc, rc] = sides.map((side) => side.cpuUs.at(-1) as number) as [number, number];
      cpuRatios.push(fc / rc);
    }
    await facade.close();
    const [f, r] = sides as [Side, Side, Side];
    return {
      ratio: median(ratios),
      ratioNoRedirects: median(ratiosNoRedirects),
      facadeMs: median(f.ms),
      rawMs: median(r.ms),
      facadeCpuUs: median(f.cpuUs),
      rawCpuUs: median(r.cpuUs),
      cpuRatio: median(cpuRatios),
      schemaMs,
    };
  } finally {
    await fake.stop();
  }
}

/**
 * Overhead of `getBalances` (input validation, store lookup, rate limiter, retry, timeout, schema
 * validation and mapping) over the raw official client's `accountsBalanceGet`, both against the
 * same loopback fake Plaid, in interleaved rounds.
 */
export async function run(): Promise<BenchSection> {
  const figures: Figure[] = [];
  const details: string[] = [];
  const results = new Map<string, Awaited<ReturnType<typeof measure>>>();
  const only = process.env.OVERHEAD_ONLY;
  for (const scenario of scenarios) {
    if (only && !scenario.name.includes(only)) continue;
    const result = await measure(scenario);
    results.set(scenario.name, result);
    if (scenario.cpuTarget) {
      figures.push({
        name: `CPU per call, facade / raw client as users configure it: ${scenario.name.replace('CPU, ', '')}`,
        value: ratio(result.cpuRatio),
        target: `≤ ${cpuTarget}×`,
        met: result.cpuRatio <= cpuTarget,
      });
      details.push(
        `${scenario.name}: facade ${Math.round(result.facadeCpuUs)} µs, raw ${Math.round(result.rawCpuUs)} µs of CPU per call`,
      );
      continue;
    }
    figures.push(
      {
        name: `facade / raw client as users configure it: ${scenario.name}`,
        value: ratio(result.ratio),
        target: '≤ 1.03×',
        met: result.ratio <= 1.03,
      },
      {
        name: `facade / raw client with maxRedirects: 0 (as the facade builds its own): ${scenario.name}`,
        value: ratio(result.ratioNoRedirects),
      },
    );
    details.push(
      `${scenario.name}: facade ${result.facadeMs.toFixed(2)} ms and ${Math.round(result.facadeCpuUs)} µs of CPU, ` +
        `raw ${result.rawMs.toFixed(2)} ms and ${Math.round(result.rawCpuUs)} µs of CPU per call`,
    );
  }
  const on = results.get(scenarios[0]?.name ?? '');
  const off = results.get(scenarios[1]?.name ?? '');
  if (on && off) {
    // Where the fixed cost goes, as shares of one raw call against the instant fake.
    figures.push(
      {
        // the difference of the two ratios: each comes from its own interleaved rounds, so it does
        // not depend on how fast the raw client happened to be in one scenario or the other
        name: "fixed cost of the rate limiter (the Item's window and the endpoint's) / one raw call, instant fake Plaid",
        value: ratio(Math.max(0, on.ratio - off.ratio)),
      },
      {
        name: 'fixed cost of validating the answer (zod) / one raw call, instant fake Plaid',
        value: ratio(off.schemaMs / off.rawMs),
      },
    );
  }
  return {
    title: 'Overhead of getBalances over the raw official client',
    method: `Interleaved rounds of sequential calls each way against the same loopback fake Plaid, which runs in a process of its own; median of the per-round ratios (of wall time, or of CPU time, process.cpuUsage, for the CPU figures, which a machine shared with other jobs disturbs less). The raw client is measured as users configure it and with \`maxRedirects: 0\`, as the facade builds its own. Median per call — ${details.join('; ')}. The instant fake measures the facade's fixed cost per call against a loopback round trip of about a millisecond; the fake answering in 100 ms is still faster than Plaid, whose balance calls read the bank live and typically take seconds. The facade's client does not follow redirects, which also spares it the redirect follower's wrapper on every call.`,
    figures,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node --import tsx bench/overhead.ts (OVERHEAD_ONLY=CPU for the CPU figures alone)
  const section = await run();
  console.log(section.method);
  for (const f of section.figures) console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target})` : ''}`);
}
