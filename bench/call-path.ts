/**
 * Which of the library's files one call runs through: a measure of how far a reader follows a
 * call (docs/architecture.md). V8's precise coverage counts the functions each call runs; the
 * files of `src/` with at least one function run are the call's path.
 *
 *   node --import tsx bench/call-path.ts              # getBalances, then exchange
 *
 * Each call is made once before it is measured, so the lazy loading of the official client and
 * the first use of a store do not count; the numbers are of a call in a warm process.
 */
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { createPlaidFacade } from '../src/index.js';
import { startFake } from './start-fake.js';

const sourceRoot = fileURLToPath(new URL('../src/', import.meta.url));

const { url, publicTokens, stop: stopFake } = await startFake(0, 4);

const facade = createPlaidFacade({ clientId: 'bench', secret: 'bench-secret', basePath: url });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

/** The files of src/ whose functions ran during `run`, relative to src/, sorted. */
async function filesRun(run: () => Promise<unknown>): Promise<string[]> {
  await session.post('Profiler.takePreciseCoverage'); // resets the counts
  await run();
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const files = new Set<string>();
  for (const script of result) {
    if (!script.url.startsWith('file://')) continue;
    const path = fileURLToPath(script.url);
    if (!path.startsWith(sourceRoot)) continue;
    if (script.functions.some((fn) => fn.ranges.some((range) => range.count > 0))) {
      files.add(path.slice(sourceRoot.length));
    }
  }
  return [...files].sort();
}

const first = await facade.exchange({ userId: 'bench-user', publicToken: publicTokens[0] as string });
await facade.getBalances({ userId: 'bench-user', itemId: first.itemId });
const balances = await filesRun(() => facade.getBalances({ userId: 'bench-user', itemId: first.itemId }));
const exchange = await filesRun(() =>
  facade.exchange({ userId: 'bench-user-2', publicToken: publicTokens[1] as string }),
);

for (const [name, files] of [
  ['getBalances', balances],
  ['exchange', exchange],
] as const) {
  console.log(`${name}: ${files.length} files of src/`);
  for (const file of files) console.log(`  ${file}`);
}

await session.post('Profiler.stopPreciseCoverage');
session.disconnect();
await facade.close();
await stopFake();
