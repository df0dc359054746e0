// Code of docs/token-storage.md. `clientId` and `secret` come from your configuration: here, from
// test/docs/docs-snippets-run-hosts.test.ts, which sets REDIS_URL (the real Redis) and the key, and answers
// for https://production.plaid.com with the fake Plaid.
import { given } from './given.js';

export interface Given {
  clientId: string;
  secret: string;
}
const { clientId, secret } = given<Given>();

// #region redis
import { Redis } from 'ioredis';
import { createPlaidFacade, EncryptedTokenStore } from 'plaid-facade';
import { RedisTokenStore } from 'plaid-facade/stores/redis';

const tokenStore = new EncryptedTokenStore({
  store: new RedisTokenStore({ client: new Redis(process.env.REDIS_URL!) }),
  keys: [{ id: '2025-01', key: process.env.PLAID_TOKEN_KEY_2025_01! }], // base64, 32 bytes
});
const plaid = createPlaidFacade({ clientId, secret, environment: 'production', tokenStore });

// #endregion

export { plaid, tokenStore };
