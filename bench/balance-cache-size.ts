/**
 * What the default in-memory balance cache's size costs: 1,000 users holding 2 Items each, every
 * user reading both Items every 30 s with `maxAgeMs: 60000`, for 10 minutes on a simulated clock.
 * A read is billed when the cache has no entry young enough, exactly as `getBalances` decides.
 *
 * Run alone: node --import tsx bench/balance-cache-size.ts   (also part of `npm run bench`)
 */
import { fileURLToPath } from 'node:url';
import { type CachedBalances, MemoryBalanceCache } from '../src/stores/balance-cache.js';
import type { BenchSection, Figure } from './section.js';

const users = 1_000;
const itemsPerUser = 2;
const periodMs = 30_000;
const maxAgeMs = 60_000;
const durationMs = 10 * 60_000;

function entry(userId: string, itemId: string, fetchedAt: number): CachedBalances {
  const account = (n: number) => ({
    accountId: `${itemId}-acc-${n}-vzeNDwK7KQIm4yEog683uElbp9GRLEFXGK98D`,
    name: n === 0 ? 'Plaid Checking' : 'Plaid Saving',
    officialName: n === 0 ? 'Plaid Gold Standard 0% Interest Checking' : 'Plaid Silver Standard 0.1% Interest Saving',
    mask: n === 0 ? '0000' : '1111',
    type: 'depository',
    subtype: n === 0 ? 'checking' : 'savings',
    balances: {
      available: 100,
      current: 110,
      limit: null,
      currency: 'USD',
      isoCurrencyCode: 'USD',
      unofficialCurrencyCode: null,
      lastUpdated: null,
    },
  });
  return {
    userId,
    itemId,
    requestId: 'req-1234567890',
    fetchedAt: new Date(fetchedAt),
    accounts: [account(0), account(1)],
  };
}

/** Billed calls per 100 reads with `cache`, on a simulated clock; users' phases spread over the period. */
async function billedPer100(make: (now: () => number) => MemoryBalanceCache): Promise<number> {
  let now = 0;
  const cache = make(() => now);
  const events: Array<{ at: number; user: number }> = [];
  for (let user = 0; user < users; user++) {
    const phase = Math.floor((user * periodMs) / users);
    for (let at = phase; at < durationMs; at += periodMs) events.push({ at, user });
  }
  events.sort((a, b) => a.at - b.at);
  let reads = 0;
  let billed = 0;
  for (const { at, user } of events) {
    now = at;
    for (let item = 0; item < itemsPerUser; item++) {
      const userId = `user-${user}`;
      const itemId = `item-${user}-${item}`;
      const key = `${userId}:${itemId}:*:-`;
      reads += 1;
      const cached = await cache.get(key);
      if (cached && now - cached.fetchedAt.getTime() <= maxAgeMs) continue;
      billed += 1;
      await cache.set(key, entry(userId, itemId, now), maxAgeMs);
    }
  }
  return (billed * 100) / reads;
}

/** Billed calls per 100 reads: 0.2's default (1,000 entries), the byte budget, and no bound at all. */
export async function run(): Promise<BenchSection> {
  const figures: Figure[] = [];
  const unbounded = await billedPer100((now) => new MemoryBalanceCache({ now, maxBytes: 2 ** 40 }));
  const byBytes = await billedPer100((now) => new MemoryBalanceCache({ now }));
  const byCount = await billedPer100((now) => new MemoryBalanceCache({ now, maxEntries: 1_000 }));
  figures.push(
    {
      name: 'billed calls per 100 reads, default cache (32 MiB byte budget)',
      value: byBytes.toFixed(1),
      target: `${unbounded.toFixed(1)} (an unbounded cache)`,
      met: byBytes <= unbounded,
    },
    { name: "billed calls per 100 reads, 0.2's default (1,000 entries)", value: byCount.toFixed(1) },
  );
  return {
    title: 'Sizing the in-memory balance cache',
    method: `${users.toLocaleString('en')} users holding ${itemsPerUser} Items (2 accounts each) read both every 30 s (phases spread over the period) with \`maxAgeMs: 60000\`, for 10 simulated minutes; a read is billed when the cache holds no entry young enough. A read fetched at t is served again at t + 30 s and read live at t + 60 s, so the best any cache can do is about 50 per 100 reads.`,
    figures,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await run();
  console.log(section.title);
  for (const f of section.figures) {
    console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
  }
}
