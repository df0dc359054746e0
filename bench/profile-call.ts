/**
 * Runs only one side's balance calls, for `node --cpu-prof`: where the facade's CPU per call goes.
 *
 *   node --import tsx bench/profile-call.ts facade 100 4000 .tmp/facade-100.cpuprofile
 *   node --import tsx bench/profile-group.ts .tmp/facade-100.cpuprofile .tmp/raw-100.cpuprofile
 *
 * argv: `facade` or `raw`, accounts per Item (default 4), calls (default 4000, after 1,000 warm-up
 * calls), and where to write the profile of the measured calls only (sampled every 100 µs). The
 * facade is imported from src/, so the profile names its files.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Configuration, PlaidApi } from 'plaid';
import { createPlaidFacade } from '../src/index.js';
import { startFake } from './start-fake.js';

const side = process.argv[2] ?? 'facade';
const accounts = Number(process.argv[3] ?? 4);
const calls = Number(process.argv[4] ?? 4000);
const { url, publicTokens, stop: stopFake } = await startFake(0, accounts);

let call: () => Promise<unknown>;
let close = async () => {};
if (side === 'facade') {
  const generous = { limit: 1_000_000, intervalMs: 1_000 };
  const facade = createPlaidFacade({
    clientId: 'bench',
    secret: 'bench-secret',
    basePath: url,
    rateLimit: process.env.NO_LIMIT
      ? false
      : { endpoints: { '/accounts/balance/get': generous }, perItem: { '/accounts/balance/get': generous } },
  });
  const { itemId } = await facade.exchange({ userId: 'bench-user', publicToken: publicTokens[0] as string });
  call = () => facade.getBalances({ userId: 'bench-user', itemId });
  close = () => facade.close();
} else {
  const headers = { 'PLAID-CLIENT-ID': 'bench', 'PLAID-SECRET': 'bench-secret' };
  const raw = new PlaidApi(new Configuration({ basePath: url, baseOptions: { headers } }));
  const token = (await raw.itemPublicTokenExchange({ public_token: publicTokens[1] as string })).data.access_token;
  call = () => raw.accountsBalanceGet({ access_token: token });
}
for (let i = 0; i < 1_000; i++) await call();
const profilePath = process.argv[5];
const session = new Session();
if (profilePath) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
for (let i = 0; i < calls; i++) await call();
const used = process.cpuUsage(cpu);
if (profilePath) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profilePath, JSON.stringify({ ...profile, calls }));
  session.disconnect();
}
console.log(`${side} ${accounts} accounts: ${((used.user + used.system) / calls).toFixed(0)} µs of CPU per call`);
await close();
await stopFake();
