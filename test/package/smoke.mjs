// Drives the packed package through `import`, against the fake Plaid it ships, with one retried call.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  createPlaidFacade,
  isPlaidFacadeError,
  PlaidApiError,
  TokenNotFoundError,
  WebhookVerificationError,
} from 'plaid-facade';
import { PostgresTokenStore } from 'plaid-facade/stores/postgres';
import { RedisTokenStore } from 'plaid-facade/stores/redis';
import { createFakePlaid } from 'plaid-facade/testing';

assert.equal(typeof PostgresTokenStore, 'function');
assert.equal(typeof RedisTokenStore, 'function');

const fake = createFakePlaid();
const server = await fake.listen();
try {
  const plaid = createPlaidFacade({
    clientId: 'smoke',
    secret: 'smoke-secret',
    basePath: server.url,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
  });
  fake.failNext('/link/token/create', 'INTERNAL_SERVER_ERROR');
  const link = await plaid.linkToken({ userId: 'user-1' });
  assert.ok(link.expiration instanceof Date);
  assert.equal(fake.callsTo('/link/token/create').length, 2, 'the failed attempt was retried');
  const { itemId } = await plaid.exchange({ userId: 'user-1', publicToken: fake.createPublicToken() });
  const balances = await plaid.getBalances({ userId: 'user-1', itemId });
  assert.ok(balances.accounts.length > 0);
  const missing = await plaid.getBalances({ userId: 'user-2', itemId }).catch((e) => e);
  assert.ok(missing instanceof TokenNotFoundError && isPlaidFacadeError(missing));
  fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
  const itemError = await plaid.getBalances({ userId: 'user-1', itemId }).catch((e) => e);
  assert.ok(
    itemError instanceof PlaidApiError && itemError.errorCode === 'ITEM_LOGIN_REQUIRED' && !itemError.retryable,
  );
  // Both builds in one process are two copies of every class: isPlaidFacadeError still knows them.
  const cjs = createRequire(import.meta.url)('plaid-facade');
  const fromCjs = await cjs
    .createPlaidFacade({ clientId: 'smoke', secret: 'smoke-secret', basePath: server.url })
    .getBalances({ userId: 'nobody', itemId })
    .catch((e) => e);
  assert.ok(!(fromCjs instanceof TokenNotFoundError) && isPlaidFacadeError(fromCjs), 'guard works across copies');
  // The ESM build must verify (and refuse) a real webhook.
  const hook = fake.webhook('ITEM', 'ERROR', { item_id: itemId });
  const handled = await plaid.webhooks.handle(hook);
  assert.equal(handled.userId, 'user-1');
  assert.equal(handled.health.status, 'login_required');
  const forged = await plaid.webhooks
    .verify(fake.webhook('ITEM', 'ERROR', { item_id: itemId }, { key: 'wrong' }))
    .catch((e) => e);
  assert.ok(forged instanceof WebhookVerificationError && forged.code === 'WEBHOOK_SIGNATURE_INVALID');
  await plaid.close();
  console.log(`smoke ok: import on Node ${process.version}, ${balances.accounts.length} accounts, webhook verified`);
} finally {
  await server.close();
}
