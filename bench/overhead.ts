import { Configuration, PlaidApi } from 'plaid';
import { createPlaidFacade, type RateLimitOptions } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { accountsBalanceGetResponseSchema } from '../src/schemas/accounts-balance-get.js';
import { type BenchSection, type Figure, median, ratio } from './section.js';

/**
 * Limits far above the bench's pace: the limiter is on the path but never makes a call wait. A
 * slot is held for the window after its call starts; a one-second window keeps about as many slots
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
}

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
];

/** Median per-round ratio facade time / raw time, rounds alternating which side goes first. */
async function measure(
  scenario: Scenario,
): Promise<{ ratio: number; facadeMs: number; rawMs: number; schemaMs: number }> {
  const fake = createFakePlaid({ latencyMs: scenario.latencyMs });
  const server = await fake.listen();
  try {
    const facade = createPlaidFacade({
      clientId: 'bench',
      secret: 'bench-secret',
      basePath: server.url,
      rateLimit: scenario.rateLimit,
    });
    const { itemId } = await facade.exchange({ userId: 'bench-user', publicToken: fake.createPublicToken() });
    const raw = new PlaidApi(
      new Configuration({
        basePath: server.url,
        baseOptions: { headers: { 'PLAID-CLIENT-ID': 'bench', 'PLAID-SECRET': 'bench-secret' } },
      }),
    );
    const accessToken = fake.item(itemId).accessToken;
    const viaFacade = () => facade.getBalances({ userId: 'bench-user', itemId });
    const viaRaw = () => raw.accountsBalanceGet({ access_token: accessToken });
    // Warm-up: against the instant fake, bottleneck's and zod's code paths take about a thousand
    // calls to settle in the JIT; before that the rounds measure compilation, not the pipeline.
    for (let i = 0; i < (scenario.latencyMs === 0 ? 1_000 : 5); i++) {
      await viaFacade();
      await viaRaw();
    }
    // What validating one answer costs: the schema alone, on the body the fake just sent.
    const body = (await viaRaw()).data;
    const parses = 2_000;
    const parseStart = performance.now();
    for (let i = 0; i < parses; i++) accountsBalanceGetResponseSchema.parse(body);
    const schemaMs = (performance.now() - parseStart) / parses;
    const ratios: number[] = [];
    const facadeMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < scenario.rounds; round++) {
      const order = round % 2 === 0 ? [viaFacade, viaRaw] : [viaRaw, viaFacade];
      const times = new Map<unknown, number>();
      for (const call of order) {
        const start = performance.now();
        for (let i = 0; i < scenario.callsPerRound; i++) await call();
        times.set(call, performance.now() - start);
      }
      const f = times.get(viaFacade) as number;
      const r = times.get(viaRaw) as number;
      facadeMs.push(f / scenario.callsPerRound);
      rawMs.push(r / scenario.callsPerRound);
      ratios.push(f / r);
    }
    await facade.close();
    return { ratio: median(ratios), facadeMs: median(facadeMs), rawMs: median(rawMs), schemaMs };
  } finally {
    await server.close();
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
  for (const scenario of scenarios) {
    const result = await measure(scenario);
    results.set(scenario.name, result);
    figures.push({
      name: `facade / raw client: ${scenario.name}`,
      value: ratio(result.ratio),
      target: '≤ 1.03×',
      met: result.ratio <= 1.03,
    });
    details.push(
      `${scenario.name}: facade ${result.facadeMs.toFixed(2)} ms, raw ${result.rawMs.toFixed(2)} ms per call`,
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
        name: 'fixed cost of the rate limiter (two bottleneck jobs) / one raw call, instant fake Plaid',
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
    method: `Interleaved rounds of sequential calls each way against the same loopback fake Plaid (in the bench's process); median of the per-round ratios. Median per call — ${details.join('; ')}. The instant fake measures the facade's fixed cost per call against a loopback round trip of about a millisecond; the fake answering in 100 ms is still faster than Plaid, whose balance calls read the bank live and typically take seconds. The facade's client does not follow redirects, which also spares it the redirect follower's wrapper on every call.`,
    figures,
  };
}
