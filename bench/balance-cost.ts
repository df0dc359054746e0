import { createPlaidFacade, type PlaidFacade } from 'plaid-facade';
import { createFakePlaid, type FakePlaid } from 'plaid-facade/testing';
import { type BenchSection, type Figure, median, ratio } from './section.js';

/** Users in the scenario: each makes 4 reads (2 opens × 2 devices), so 25 users make 100 reads. */
const users = 25;

type Mode = 'naive' | 'single-flight' | 'single-flight + maxAgeMs 60000';

/**
 * Billed calls for 100 user reads: each user opens the app twice within a minute, and on each open
 * two devices ask for the balances together. `naive` is a loop that reads live every time (the
 * facade with single-flight off and no maxAgeMs), as hand-written code does.
 */
async function billedPer100Reads(fake: FakePlaid, url: string, mode: Mode): Promise<number> {
  fake.reset();
  const plaid = createPlaidFacade({
    clientId: 'bench',
    secret: 'bench-secret',
    basePath: url,
    rateLimit: false,
    singleFlight: mode !== 'naive',
  });
  const maxAgeMs = mode === 'single-flight + maxAgeMs 60000' ? 60_000 : 0;
  const items: Array<{ userId: string; itemId: string }> = [];
  for (let u = 0; u < users; u++) {
    const userId = `user-${u}`;
    const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
    items.push({ userId, itemId });
  }
  let reads = 0;
  const open = ({ userId, itemId }: { userId: string; itemId: string }) => {
    reads += 2;
    // Two devices of one user, together.
    return Promise.all([0, 1].map(() => plaid.getBalances({ userId, itemId, maxAgeMs })));
  };
  // Every user opens the app, then opens it again (well within the minute).
  await Promise.all(items.map(open));
  await Promise.all(items.map(open));
  await plaid.close();
  return (fake.billedCalls * 100) / reads;
}

/**
 * A lone getBalances with single-flight on, against two facades with it off: the medians of
 * on / off and of off / off (the control: how far two identical facades differ on this machine),
 * over interleaved rounds whose order rotates.
 */
async function loneCallRatios(fake: FakePlaid, url: string): Promise<{ onOff: number; control: number }> {
  fake.reset();
  const make = (singleFlight: boolean): PlaidFacade =>
    createPlaidFacade({ clientId: 'bench', secret: 'bench-secret', basePath: url, rateLimit: false, singleFlight });
  const facades = [make(true), make(false), make(false)] as const;
  const reads: Array<() => Promise<unknown>> = [];
  for (const facade of facades) {
    const { itemId } = await facade.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    reads.push(() => facade.getBalances({ userId: 'u', itemId }));
  }
  for (let i = 0; i < 500; i++) for (const read of reads) await read();
  const onOff: number[] = [];
  const control: number[] = [];
  for (let round = 0; round < 31; round++) {
    const times: number[] = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const index = (round + k) % 3;
      const read = reads[index] as () => Promise<unknown>;
      const start = performance.now();
      for (let i = 0; i < 50; i++) await read();
      times[index] = performance.now() - start;
    }
    const [on, offA, offB] = times as [number, number, number];
    onOff.push(on / offA);
    control.push(offB / offA);
  }
  await Promise.all(facades.map((facade) => facade.close()));
  return { onOff: median(onOff), control: median(control) };
}

/** What a balance read costs: billed calls per 100 user reads, and the price of single-flight. */
export async function run(): Promise<BenchSection> {
  // 20 ms per answer, so that the two devices' reads overlap as they would against Plaid.
  const fake = createFakePlaid({ latencyMs: 20 });
  const server = await fake.listen();
  const figures: Figure[] = [];
  try {
    for (const mode of ['naive', 'single-flight', 'single-flight + maxAgeMs 60000'] as const) {
      figures.push({
        name: `billed calls per 100 user reads: ${mode}`,
        value: String(await billedPer100Reads(fake, server.url, mode)),
      });
    }
  } finally {
    await server.close();
  }
  const instant = createFakePlaid();
  const instantServer = await instant.listen();
  try {
    const lone = await loneCallRatios(instant, instantServer.url);
    // "Within noise of none": no further from 1 than two identical facades are from each other.
    const noise = Math.abs(lone.control - 1) + 0.02;
    figures.push(
      {
        name: 'lone getBalances, single-flight on / off, instant fake Plaid',
        value: ratio(lone.onOff),
        target: `within noise (≤ ${ratio(1 + noise)})`,
        met: lone.onOff <= 1 + noise,
      },
      { name: 'control: two facades with single-flight off, instant fake Plaid', value: ratio(lone.control) },
    );
  } finally {
    await instantServer.close();
  }
  return {
    title: 'What a balance read costs',
    method:
      '25 users each open the app twice within a minute, and on each open two devices read the balances together (100 reads). Billed calls are those the fake Plaid counts (successful live `/accounts/balance/get`). The lone-call ratios are medians over 31 rounds of 50 sequential reads per facade (order rotating), after 500 warm-up reads each, against an instant loopback fake (the worst case for a fixed cost); the control compares two facades with single-flight off, to show the noise.',
    figures,
  };
}
