import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, TokenStoreError } from '../../src/index.js';
import { RedisTokenStore } from '../../src/stores/redis.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { OwnRedis, redisServerBinary } from '../rate-limit/own-redis.js';
import { withoutProbe } from '../support/without-probe.js';

/*
 * The case of issue #12: RedisTokenStore on an ioredis client with its defaults, Redis killed.
 * ioredis then queues commands while it reconnects, and its promises never settle; before
 * tokenStoreTimeoutMs, `exchange` stayed pending (140 s and counting) with the token in memory only.
 * A redis-server of this test's own is killed; the shared one is never touched.
 */
const binary = redisServerBinary();

describe.skipIf(!binary)('RedisTokenStore after Redis is killed', () => {
  const fake = createFakePlaid({ clientId: 'id', secret: 'secret-xyz-123' });
  let own: OwnRedis;
  let client: Redis;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    own = await OwnRedis.start(binary as string);
    client = new Redis(own.url); // ioredis defaults: offline queue on, retries for ever
    client.on('error', () => {}); // reconnect noise, expected here
    server = await fake.listen();
  });
  let killed = false;
  afterAll(async () => {
    client.disconnect();
    // OwnRedis.kill() waits for an exit that already happened when called twice.
    if (!killed) await own.kill();
    await server.close();
  });

  it('exchange ends within its bound: the Item is removed at Plaid and the caller told', async () => {
    const plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret-xyz-123',
      basePath: server.url,
      rateLimit: false,
      // Without its probe: this is a store that fails after the exchange (see store-probe.test.ts).
      tokenStore: withoutProbe(new RedisTokenStore({ client, prefix: `killed-${process.pid}:` })),
      tokenStoreTimeoutMs: 200,
    });
    await own.kill();
    killed = true;
    const error = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: 'TOKEN_STORE_WRITE_FAILED', itemRemoved: true });
    expect(fake.items.map((item) => item.removed)).toEqual([true]);
    const read = await plaid.getBalances({ userId: 'u', itemId: 'item-x' }).catch((e: unknown) => e);
    expect(read).toMatchObject({ code: 'TOKEN_STORE_TIMEOUT' });
    await plaid.close();
  });
});
