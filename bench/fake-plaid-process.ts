/**
 * The fake Plaid in a process of its own, for the overhead bench: the facade and the raw client
 * then share the bench's process only with each other, not with the server they call.
 * argv: latencyMs. Prints one JSON line `{ url, publicTokens }` once listening; exits when stdin ends.
 */
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid({ latencyMs: Number(process.argv[2] ?? 0) });
const server = await fake.listen();
process.stdout.write(
  `${JSON.stringify({ url: server.url, publicTokens: [fake.createPublicToken(), fake.createPublicToken()] })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
