// Runs the README's Quick start (compiled from quick-start.mts) as a user would: settings in the
// environment, a real PostgreSQL (PLAID_FACADE_PG_URL, in a schema of its own), and Plaid played by
// the fake from plaid-facade/testing through msw, which intercepts https://sandbox.plaid.com and
// lets no other request out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setupServer } from 'msw/node';
import pg from 'pg';
import { createFakePlaid } from 'plaid-facade/testing';

const url = process.env.PLAID_FACADE_PG_URL;
assert.ok(url, 'PLAID_FACADE_PG_URL must be set');
const schema = `pf_quick_start_${randomBytes(6).toString('hex')}`;
const admin = new pg.Pool({ connectionString: url });
await admin.query(`CREATE SCHEMA "${schema}"`);
const fake = createFakePlaid();
const msw = setupServer(...fake.handlers);
msw.listen({ onUnhandledRequest: 'error' });
const printed = [];
const log = console.log;
try {
  Object.assign(process.env, {
    DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    PLAID_CLIENT_ID: 'quick-start-client',
    PLAID_SECRET: 'quick-start-secret',
    PLAID_ENV: 'sandbox',
    PLAID_TOKEN_KEY_2025_01: randomBytes(32).toString('base64'),
  });
  const quickStart = await import('./build/quick-start.mjs');
  try {
    assert.match(await quickStart.createLinkToken('user-42'), /^link-sandbox-/);
    const itemId = await quickStart.connectBank('user-42', fake.createPublicToken());
    console.log = (...args) => printed.push(args);
    await quickStart.printBalances('user-42', itemId);
    console.log = log;
    assert.deepEqual(printed, [
      ['Plaid Checking', 100, 'USD'],
      ['Plaid Saving', 200, 'USD'],
      ['Plaid Credit Card', null, 'USD'],
    ]);
    // A Capital One credit card (no real-time balance) works as printed too: the default maxBalanceAgeMs.
    const capitalOne = await quickStart.connectBank('user-43', fake.createPublicToken({ institutionId: 'ins_128026' }));
    printed.length = 0;
    console.log = (...args) => printed.push(args);
    await quickStart.printBalances('user-43', capitalOne);
    console.log = log;
    assert.ok(
      printed.some(([name]) => name === 'Plaid Credit Card'),
      'the Capital One credit card is printed',
    );
    const { rows } = await admin.query(`SELECT access_token FROM "${schema}".plaid_facade_tokens`);
    assert.equal(rows.length, 2);
    assert.match(rows[0].access_token, /^pfenc:v1:2025-01:/, 'the access token is stored encrypted');
  } finally {
    await quickStart.shutdown();
  }
  console.log('quick start ok: linked, exchanged, balances printed (Capital One too), tokens stored encrypted');
} finally {
  console.log = log;
  msw.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
