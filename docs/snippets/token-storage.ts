// Code of docs/token-storage.md. `clientId` and `secret` come from your configuration.
declare const clientId: string;
declare const secret: string;

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

export { plaid };
