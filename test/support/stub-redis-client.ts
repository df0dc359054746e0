import type { RedisTokenStoreClient } from '../../src/stores/redis.js';

/** A RedisTokenStoreClient that answers every command as an empty Redis would, without a server. */
export function stubRedisClient(): RedisTokenStoreClient {
  return {
    hget: async () => null,
    hset: async () => 1,
    hdel: async () => 1,
    hgetall: async () => ({}),
    get: async () => null,
    set: async () => 'OK',
    del: async () => 1,
  };
}
