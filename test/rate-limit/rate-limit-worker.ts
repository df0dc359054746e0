/**
 * One process of the shared rate-limit test: fires a burst of calls through a Redis-backed
 * limiter and prints each call's start time (ms since epoch) as JSON on stdout. Prints `ready`
 * first and fires when a line arrives on stdin, so that all processes start together; closes and
 * exits on the next line, once every process has reported.
 * argv: redisUrl prefix calls limit intervalMs [itemId]
 */
import { Redis } from 'ioredis';
import { resolveRateLimitOptions } from '../../src/options.js';
import { createRateLimiter } from '../../src/pipeline/rate-limit/rate-limiter.js';

const [redisUrl, prefix, callsText, limitText, intervalText, itemId] = process.argv.slice(2);
if (!redisUrl || !prefix || !callsText || !limitText || !intervalText) {
  throw new Error('usage: rate-limit-worker redisUrl prefix calls limit intervalMs [itemId]');
}
const spec = { limit: Number(limitText), intervalMs: Number(intervalText) };
const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const endpoint = '/accounts/balance/get';
const limiter = createRateLimiter(
  resolveRateLimitOptions(
    {
      redis: { client, prefix },
      // the limit under test on whichever level the call goes through; the other one left loose
      endpoints: { [endpoint]: itemId ? { limit: 10_000, intervalMs: 60_000 } : spec },
      perItem: { [endpoint]: spec },
    },
    'sandbox',
  ),
  'sandbox',
  () => {},
);

// Start together: say "ready" once connected, fire on the first line from stdin.
await client.ping();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const starts: number[] = [];
await Promise.all(
  Array.from({ length: Number(callsText) }, () =>
    limiter.schedule({ endpoint, itemId }, async () => {
      starts.push(Date.now());
    }),
  ),
);
process.stdout.write(`${JSON.stringify(starts)}\n`);
// Stay until every process is done (the next line on stdin): a process that exits at once leaves
// the slots it holds in Redis until they expire, which would slow the others' last windows.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
// progress lines: if a worker never exits, its output (in the test's error) says where it stopped
process.stdout.write('closing\n');
await limiter.close();
process.stdout.write('closed\n');
await client.quit();
process.exit(0);
