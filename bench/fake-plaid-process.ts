/**
 * The fake Plaid in a process of its own, for the overhead bench: the facade and the raw client
 * then share the bench's process only with each other, not with the server they call.
 * argv: latencyMs, then optionally the number of accounts per Item (default: the fake's three).
 * Prints one JSON line `{ url, publicTokens }` once listening; exits when stdin ends.
 */
import { createFakePlaid } from 'plaid-facade/testing';
import { benchAccounts } from './bench-accounts.js';

const fake = createFakePlaid({ latencyMs: Number(process.argv[2] ?? 0) });
const server = await fake.listen();
const count = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const options = count === undefined ? {} : { accounts: benchAccounts(count) };
process.stdout.write(
  `${JSON.stringify({ url: server.url, publicTokens: [fake.createPublicToken(options), fake.createPublicToken(options)] })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
