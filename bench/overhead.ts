import { Configuration, PlaidApi } from 'plaid';
import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { type BenchSection, median, ratio } from './section.js';

const ROUNDS = 15;
const CALLS_PER_ROUND = 40;

/**
 * Overhead of `getBalances` (validation, mapping, store lookup, retry and limiter wrappers) over
 * the raw official client's `accountsBalanceGet`, both against the same loopback fake Plaid.
 * Rounds alternate which side goes first; the figure is the median of per-round ratios.
 */
export async function run(): Promise<BenchSection> {
  const fake = createFakePlaid();
  const server = await fake.listen();
  try {
    const facade = createPlaidFacade({
      clientId: 'bench',
      secret: 'bench-secret',
      basePath: server.url,
      // Limits far above the bench's pace: the limiter is on the path but never makes a call wait.
      rateLimit: process.env.BENCH_NO_LIMIT ? false : {
        endpoints: { '/accounts/balance/get': { limit: 1_000_000, intervalMs: 60_000 } },
        perItem: { '/accounts/balance/get': { limit: 1_000_000, intervalMs: 60_000 } },
      },
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
    for (let i = 0; i < 20; i++) {
      await viaFacade();
      await viaRaw();
    }
    const ratios: number[] = [];
    const facadeMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [viaFacade, viaRaw] : [viaRaw, viaFacade];
      const times = new Map<unknown, number>();
      for (const call of order) {
        const start = performance.now();
        for (let i = 0; i < CALLS_PER_ROUND; i++) await call();
        times.set(call, performance.now() - start);
      }
      const f = times.get(viaFacade) as number;
      const r = times.get(viaRaw) as number;
      facadeMs.push(f / CALLS_PER_ROUND);
      rawMs.push(r / CALLS_PER_ROUND);
      ratios.push(f / r);
    }
    await facade.close();
    const overhead = median(ratios);
    return {
      title: 'Overhead of getBalances over the raw official client',
      method: `${ROUNDS} interleaved rounds of ${CALLS_PER_ROUND} sequential calls each way against the same loopback fake Plaid; median of the per-round ratios. Median per call: facade ${median(facadeMs).toFixed(2)} ms, raw ${median(rawMs).toFixed(2)} ms.`,
      figures: [{ name: 'facade time / raw client time', value: ratio(overhead), target: '≤ 1.03×', met: overhead <= 1.03 }],
    };
  } finally {
    await server.close();
  }
}
