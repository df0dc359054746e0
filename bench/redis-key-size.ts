/**
 * The largest key RedisTokenStore leaves in Redis at fleet scale: 20,000 Items over 2,000 users
 * (each record encrypted, with health and two accounts, as the facade stores them), against the
 * 0.2 layout, whose Item-id index was one hash of every Item. Run against a redis-server of the
 * bench's own (never the shared one).
 *
 * Run alone: node --import tsx bench/redis-key-size.ts   (also part of `npm run bench`)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { EncryptedTokenStore } from '../src/stores/encrypted.js';
import { RedisTokenStore } from '../src/stores/redis.js';
import type { StoredItem } from '../src/stores/token-store.js';
import { OwnRedis, redisServerBinary } from '../test/rate-limit/own-redis.js';
import type { BenchSection, Figure } from './section.js';

const users = 2_000;
const itemsPerUser = 10;
const targetBytes = 512 * 1024;

function itemOf(user: number, index: number): StoredItem {
  const itemId = randomBytes(18).toString('base64url').slice(0, 37);
  return {
    userId: `user-${user}-${randomUUID()}`.slice(0, 45),
    itemId,
    accessToken: `access-production-${randomUUID()}`,
    institutionId: 'ins_109508',
    createdAt: new Date(),
    health: { status: 'healthy', since: new Date() },
    accounts: [0, 1].map((a) => ({
      accountId: randomBytes(28).toString('base64url'),
      name: a === 0 ? 'Plaid Checking' : 'Plaid Saving',
      mask: String(1000 + index),
      type: 'depository',
      subtype: a === 0 ? 'checking' : 'savings',
    })),
  };
}

/** The largest key under `prefix` (by `MEMORY USAGE`), and how many keys there are. */
async function largestKey(redis: Redis, prefix: string): Promise<{ key: string; bytes: number; keys: number }> {
  let cursor = '0';
  let largest = { key: '', bytes: 0, keys: 0 };
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
      largest = bytes > largest.bytes ? { key, bytes, keys: largest.keys + 1 } : { ...largest, keys: largest.keys + 1 };
    }
  } while (cursor !== '0');
  return largest;
}

/** Writes the fleet through the store, 50 writes at a time. */
async function fill(store: EncryptedTokenStore): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  for (let user = 0; user < users; user++) {
    const first = itemOf(user, 0);
    for (let index = 0; index < itemsPerUser; index++) items.push({ ...itemOf(user, index), userId: first.userId });
  }
  for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map((item) => store.set(item)));
  return items;
}

/** The largest Redis key after 20,000 Items over 2,000 users, in the 0.3 layout and the 0.2 one. */
export async function run(): Promise<BenchSection> {
  const title = 'Redis token store at fleet scale';
  const binary = redisServerBinary();
  if (!binary) return { title, method: 'Skipped: no redis-server installed.', figures: [] };
  const own = await OwnRedis.start(binary);
  const redis = new Redis(own.url);
  const figures: Figure[] = [];
  try {
    const prefix = 'bench-tokens:';
    const store = new EncryptedTokenStore({
      store: new RedisTokenStore({ client: redis, prefix }),
      keys: [{ id: 'k1', key: randomBytes(32) }],
    });
    const items = await fill(store);
    const largest = await largestKey(redis, prefix);
    figures.push(
      {
        name: `keys for ${items.length.toLocaleString('en')} Items over ${users.toLocaleString('en')} users`,
        value: largest.keys.toLocaleString('en'),
      },
      {
        name: 'largest key (MEMORY USAGE)',
        value: `${(largest.bytes / 1024).toFixed(1)} KB (${largest.key.replace(prefix, '<prefix>').replace(/:[^:]*$/, ':…')})`,
        target: '≤ 512 KB',
        met: largest.bytes <= targetBytes,
      },
    );
    // The 0.2 layout's index: one hash, Item id → user id, for every Item.
    const legacy = 'bench-legacy:items';
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000).flatMap((item) => [item.itemId, item.userId]);
      await redis.hset(legacy, ...chunk);
    }
    const legacyBytes = Number(await redis.memory('USAGE', legacy, 'SAMPLES', '0'));
    figures.push({
      name: '0.2 layout, for comparison: its Item-id index hash',
      value: `${(legacyBytes / 1024).toFixed(1)} KB`,
    });
  } finally {
    redis.disconnect();
    await own.kill();
  }
  return {
    title,
    method: `${(users * itemsPerUser).toLocaleString('en')} Items over ${users.toLocaleString('en')} users written through \`EncryptedTokenStore\` over \`RedisTokenStore\` (each record with health and two accounts) to a redis-server of the bench's own; every key's \`MEMORY USAGE\` (all samples). The 0.2 layout kept one index hash of every Item, which grows with the fleet (about 120 MB at 1 M Items).`,
    figures,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await run();
  console.log(section.title);
  for (const f of section.figures)
    console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
}
