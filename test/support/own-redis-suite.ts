import { afterAll, afterEach, beforeAll } from 'vitest';
import { OwnRedis } from '../rate-limit/own-redis.js';

/**
 * One own redis-server for the `describe` block this is called in: started before its tests,
 * thawed and `opened` closed after each test, killed after all. `server` is there once started.
 */
export function ownRedisForSuite(binary: string): { readonly server: OwnRedis; opened: Array<() => Promise<void>> } {
  let server: OwnRedis | undefined;
  const opened: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    server = await OwnRedis.start(binary);
  });
  afterAll(async () => {
    await server?.kill();
  });
  afterEach(async () => {
    server?.thaw();
    await Promise.all(opened.splice(0).map((close) => close()));
  });
  return {
    get server(): OwnRedis {
      if (!server) throw new Error('the own redis-server has not started');
      return server;
    },
    opened,
  };
}
