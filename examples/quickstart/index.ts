/**
 * plaid-facade quickstart: link token → public token → exchange → balances, printed as a table.
 *
 * By default it runs offline against the fake Plaid from `plaid-facade/testing`, served on
 * 127.0.0.1. With PLAID_CLIENT_ID and PLAID_SECRET set it talks to Plaid's real sandbox and gets
 * the public token from `/sandbox/public_token/create` instead of from Link.
 *
 *   npm run demo
 *   PLAID_CLIENT_ID=... PLAID_SECRET=... npm run demo
 */
import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';
import { failureLine } from './failure.js';
import { formatBalances } from './format-table.js';

const SANDBOX_URL = 'https://sandbox.plaid.com';

/** Asks Plaid's sandbox for a public token, as Link would give one after the user logs in. */
async function sandboxPublicToken(basePath: string, clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${basePath}/sandbox/public_token/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'PLAID-CLIENT-ID': clientId, 'PLAID-SECRET': secret },
    body: JSON.stringify({ institution_id: 'ins_109508', initial_products: ['auth'] }),
  });
  const body = (await response.json()) as { public_token?: string; error_code?: string; error_message?: string };
  if (!response.ok || !body.public_token) {
    throw new Error(
      `/sandbox/public_token/create failed: ${body.error_code ?? response.status} ${body.error_message ?? ''}`,
    );
  }
  return body.public_token;
}

async function main(): Promise<void> {
  const clientId = process.env.PLAID_CLIENT_ID;
  const secret = process.env.PLAID_SECRET;
  const real = Boolean(clientId && secret);
  const fake = real ? undefined : createFakePlaid();
  const server = fake ? await fake.listen() : undefined;
  try {
    const plaid = createPlaidFacade({
      clientId: clientId ?? 'demo-client-id',
      secret: secret ?? 'demo-secret',
      environment: 'sandbox',
      ...(server ? { basePath: server.url } : {}),
    });
    console.log(real ? `Using Plaid's sandbox (${SANDBOX_URL})` : `Using the embedded fake Plaid at ${server?.url}`);

    const userId = 'demo-user';
    const link = await plaid.linkToken({ userId, clientName: 'plaid-facade demo' });
    console.log(`1. Link token ${link.linkToken.slice(0, 24)}… expires ${link.expiration.toISOString()}`);

    // In an app, Link runs in the browser and hands the public token to your server.
    const publicToken = fake
      ? fake.createPublicToken()
      : await sandboxPublicToken(SANDBOX_URL, clientId ?? '', secret ?? '');
    console.log('2. Public token received (as from Link)');

    const { itemId } = await plaid.exchange({ userId, publicToken });
    console.log(`3. Exchanged: Item ${itemId} (its access token is in the token store, not here)`);

    const balances = await plaid.getBalances({ userId, itemId });
    console.log(`4. Balances fetched at ${balances.fetchedAt.toISOString()}:\n`);
    console.log(formatBalances(balances.accounts));

    await plaid.removeItem({ userId, itemId });
    await plaid.close();
    console.log('\nItem removed. Done.');
  } finally {
    await server?.close();
  }
}

main().catch((error: unknown) => {
  console.error(failureLine(error));
  if (process.env.PLAID_FACADE_LOG === 'debug') console.error(error);
  process.exitCode = 1;
});
