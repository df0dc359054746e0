// Run by test/otel-entry.test.ts in a child process where @opentelemetry/* cannot be loaded: the
// main entry must import, and make calls that go through the whole pipeline (retries, the
// limiter, the observation of calls, the logger), with someone subscribed to the channel.
import diagnostics from 'node:diagnostics_channel';
import { createPlaidFacade } from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';

const seen: string[] = [];
diagnostics.tracingChannel('plaid-facade:call').subscribe({
  start: () => seen.push('start'),
  end: () => {},
  asyncStart: () => {},
  asyncEnd: () => seen.push('asyncEnd'),
  error: () => {},
});
const fake = createFakePlaid();
const server = await fake.listen();
try {
  const lines: string[] = [];
  const log = (_fields: Record<string, unknown>, message: string) => lines.push(message);
  const plaid = createPlaidFacade({
    clientId: 'probe',
    secret: 'probe-secret',
    basePath: server.url,
    retry: { minDelayMs: 1, maxDelayMs: 1 },
    logger: { debug: log, info: log, warn: log, error: log },
  });
  fake.failNext('/link/token/create', 'INTERNAL_SERVER_ERROR');
  await plaid.linkToken({ userId: 'user-1' });
  await plaid.close();
  console.log(`calls: ${seen.join(',')}; lines: ${lines.length}`);
} finally {
  await server.close();
}
try {
  await import('../../src/otel/index.js');
  console.log('otel entry: loaded');
} catch (error) {
  console.log(`otel entry: ${(error as Error).message}`);
}
