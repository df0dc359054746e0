/**
 * A process that makes one call through limits shared over Redis (a minute's window), closes its
 * limiter and its client, and then has nothing left to do: it must exit at once, not when the
 * call's slot frees a minute later. argv: redisUrl prefix
 */
import { Redis } from 'ioredis';
import { resolveRateLimitOptions } from '../../src/options.js';
import { createRateLimiter } from '../../src/pipeline/rate-limit/rate-limiter.js';

const [redisUrl, prefix] = process.argv.slice(2);
if (!redisUrl || !prefix) throw new Error('usage: close-and-exit redisUrl prefix');
const client = new Redis(redisUrl);
const endpoint = '/accounts/balance/get';
const limiter = createRateLimiter(
  resolveRateLimitOptions(
    {
      redis: { client, prefix },
      endpoints: { [endpoint]: { limit: 5, intervalMs: 60_000 } },
      perItem: { [endpoint]: { limit: 5, intervalMs: 60_000 } },
    },
    'sandbox',
  ),
  'sandbox',
  () => {},
);
await limiter.schedule({ endpoint, itemId: 'i1' }, async () => {});
await limiter.close();
await client.quit();
process.stdout.write('closed\n');
