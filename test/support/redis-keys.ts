import type { Redis } from 'ioredis';

/** Deletes every key under `prefix` on the shared test Redis (each suite cleans up its own prefix). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
