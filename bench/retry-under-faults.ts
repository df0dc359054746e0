import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { type BenchSection, percentile } from './section.js';

const CALLS = 300;
const FAULT_RATE = 0.2;
const FAULTS = ['INTERNAL_SERVER_ERROR', 'INSTITUTION_DOWN', 'network', 'PLANNED_MAINTENANCE'] as const;

/**
 * `getBalances` under 20 % injected transient faults (5xx, institution down, dropped connection,
 * maintenance), drawn independently before each attempt with a seeded generator, default retry
 * options except shorter delays so the run stays short.
 */
export async function run(): Promise<BenchSection> {
  const fake = createFakePlaid();
  const server = await fake.listen();
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let attempts = 0;
  let faults = 0;
  const facade = createPlaidFacade({
    clientId: 'bench',
    secret: 'bench-secret',
    basePath: server.url,
    rateLimit: false,
    retry: { retries: 5, minDelayMs: 5, maxDelayMs: 40 },
    onEvent: (event) => {
      if (event.type !== 'request') return;
      attempts++;
      // Decide this attempt's fate just before it is sent.
      if (random() < FAULT_RATE) {
        faults++;
        fake.failNext('/accounts/balance/get', FAULTS[Math.floor(random() * FAULTS.length)] as string);
      }
    },
  });
  try {
    const { itemId } = await facade.exchange({ userId: 'bench-user', publicToken: fake.createPublicToken() });
    attempts = 0;
    faults = 0;
    let succeeded = 0;
    const latencies: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      try {
        await facade.getBalances({ userId: 'bench-user', itemId });
        succeeded++;
      } catch {
        // counted as a failure below
      }
      latencies.push(performance.now() - start);
    }
    const successRate = succeeded / CALLS;
    return {
      title: 'Retry under 20 % injected transient faults',
      method: `${CALLS} sequential getBalances calls; each attempt failed with probability ${FAULT_RATE} (${faults} faults injected over ${attempts} attempts); retries 5 (with the default 3, a call fails all four attempts with probability 0.2⁴ = 0.16 %), delays 5–40 ms with full jitter.`,
      figures: [
        { name: 'success rate', value: `${(successRate * 100).toFixed(1)} %`, target: '100 %', met: successRate === 1 },
        { name: 'attempts per call', value: (attempts / CALLS).toFixed(3) },
        { name: 'latency p50', value: `${percentile(latencies, 50).toFixed(1)} ms` },
        { name: 'latency p99', value: `${percentile(latencies, 99).toFixed(1)} ms` },
      ],
    };
  } finally {
    await server.close();
  }
}
