import { spawn } from 'node:child_process';
import { createFakePlaid } from 'plaid-facade/testing';
import { type BenchSection, median, ratio } from './section.js';

const RUNS = 15;
/** Pairs for the import-plus-first-call ratio, which differs by a few per cent only: more runs. */
const FIRST_CALL_RUNS = 31;

/** Runs a CommonJS snippet in a fresh Node; resolves with its wall time (ms) and peak RSS (KiB). */
function measure(code: string): Promise<{ wallMs: number; rssKiB: number }> {
  // Peak RSS from /proc (VmHWM belongs to the new program image, unlike getrusage's maxRSS, which
  // keeps the high-water mark of the forking parent across exec); getrusage where there is no /proc.
  const report =
    "let k;try{k=/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1]}catch{k=process.resourceUsage().maxRSS}process.stdout.write('RSS='+k)";
  const script = `${code};process.on('exit',()=>{${report}})`;
  // Asynchronous on purpose: the fake Plaid the snippets call lives in this process's event loop.
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => {
      const wallMs = performance.now() - start;
      if (status !== 0) return reject(new Error(`cold-start child failed (${status}): ${stderr}\n${code}`));
      resolve({ wallMs, rssKiB: Number(/RSS=(\d+)/.exec(stdout)?.[1]) });
    });
  });
}

/** How many @opentelemetry modules a process that requires the built main entry and makes one call has loaded. */
function loadedOpenTelemetryModules(url: string): Promise<number> {
  const code = `require('plaid-facade').createPlaidFacade({ clientId: 'bench', secret: 'bench-secret', basePath: '${url}' })
      .linkToken({ userId: 'u' })
      .then(() => process.stdout.write('OTEL=' + Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length + ' '))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (status) => {
      const count = /OTEL=(\d+)/.exec(stdout)?.[1];
      if (status !== 0 || count === undefined) return reject(new Error(`otel probe failed (${status}): ${stdout}`));
      resolve(Number(count));
    });
  });
}

/** Median per-run ratio of `a`'s wall time to `b`'s, over `runs` runs alternating which goes first. */
async function pairedRatio(a: string, b: string, runs: number): Promise<{ ratio: number; aMs: number; bMs: number }> {
  const ratios: number[] = [];
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const first = run % 2 === 0;
    const x = await measure(first ? a : b);
    const y = await measure(first ? b : a);
    const [ta, tb] = first ? [x.wallMs, y.wallMs] : [y.wallMs, x.wallMs];
    ratios.push(ta / tb);
    aMs.push(ta);
    bMs.push(tb);
  }
  return { ratio: median(ratios), aMs: median(aMs), bMs: median(bMs) };
}

type Sample = { wallMs: number; rssKiB: number };

/** Interleaved runs of several snippets: every run measures each snippet once, in turn. */
async function runs(snippets: Record<string, string>): Promise<Array<Record<string, Sample>>> {
  const all: Array<Record<string, Sample>> = [];
  for (let run = 0; run < RUNS; run++) {
    const samples: Record<string, Sample> = {};
    for (const [name, code] of Object.entries(snippets)) samples[name] = await measure(code);
    all.push(samples);
  }
  return all;
}

/**
 * What importing plaid-facade adds to a bare `node -e 0`, against what `require('plaid')` adds,
 * in wall time and peak memory; and a whole cold start (import, then one link-token call against
 * a loopback fake Plaid) through the facade against the same with the raw client.
 */
export async function run(): Promise<BenchSection> {
  const imports = await runs({
    bare: '0',
    plaid: "require('plaid')",
    facade: "require('plaid-facade')",
    testing: "require('plaid-facade/testing')",
  });
  const fake = createFakePlaid();
  const server = await fake.listen();
  let firstCall: { ratio: number; aMs: number; bMs: number };
  let otelModules: number;
  try {
    const credentials = `{ 'PLAID-CLIENT-ID': 'bench', 'PLAID-SECRET': 'bench-secret' }`;
    firstCall = await pairedRatio(
      `require('plaid-facade').createPlaidFacade({ clientId: 'bench', secret: 'bench-secret', basePath: '${server.url}' })
          .linkToken({ userId: 'u' })`,
      `const { Configuration, PlaidApi } = require('plaid');
        new PlaidApi(new Configuration({ basePath: '${server.url}', baseOptions: { headers: ${credentials} } }))
          .linkTokenCreate({ client_name: 'bench', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: ['auth'] })`,
      FIRST_CALL_RUNS,
    );
    otelModules = await loadedOpenTelemetryModules(server.url);
  } finally {
    await server.close();
  }
  // What a snippet adds over a bare Node, within one run (the runs of one round follow each other,
  // so a slow spell of the machine weighs on both sides of a ratio); medians over the runs.
  const added = (run: Record<string, Sample>, name: string): Sample => ({
    wallMs: (run[name]?.wallMs ?? 0) - (run.bare?.wallMs ?? 0),
    rssKiB: (run[name]?.rssKiB ?? 0) - (run.bare?.rssKiB ?? 0),
  });
  const addedMedian = (name: string): Sample => ({
    wallMs: median(imports.map((run) => added(run, name).wallMs)),
    rssKiB: median(imports.map((run) => added(run, name).rssKiB)),
  });
  const bare = {
    wallMs: median(imports.map((run) => run.bare?.wallMs ?? 0)),
    rssKiB: median(imports.map((run) => run.bare?.rssKiB ?? 0)),
  };
  const plaid = addedMedian('plaid');
  const figures = (['facade', 'testing'] as const).flatMap((name) => {
    const wall = median(imports.map((run) => added(run, name).wallMs / added(run, 'plaid').wallMs));
    const memory = median(imports.map((run) => added(run, name).rssKiB / added(run, 'plaid').rssKiB));
    const label = name === 'facade' ? "require('plaid-facade')" : "require('plaid-facade/testing')";
    return [
      { name: `${label}: added wall time / plaid's`, value: ratio(wall), target: '≤ 0.5×', met: wall <= 0.5 },
      { name: `${label}: added peak memory / plaid's`, value: ratio(memory), target: '≤ 0.5×', met: memory <= 0.5 },
    ];
  });
  // Which OpenTelemetry modules the main entry loads, in a whole call: none (plaid-facade/otel alone needs them).
  const whole = firstCall.ratio;
  figures.push({
    name: 'import + first call, facade / raw client (wall time)',
    value: ratio(whole),
    target: '≤ 1.05×',
    met: whole <= 1.05,
  });
  figures.push({
    name: "@opentelemetry modules loaded by require('plaid-facade') and one call",
    value: String(otelModules),
    target: '0',
    met: otelModules === 0,
  });
  return {
    title: 'Cold start',
    method: `Fresh Node processes, ${RUNS} interleaved runs each; ratios are taken within each run, then the median over runs. Added over \`node -e 0\` (${bare.wallMs.toFixed(0)} ms, ${(bare.rssKiB / 1024).toFixed(0)} MiB): plaid ${plaid.wallMs.toFixed(0)} ms and ${(plaid.rssKiB / 1024).toFixed(0)} MiB; plaid-facade ${addedMedian('facade').wallMs.toFixed(0)} ms and ${(addedMedian('facade').rssKiB / 1024).toFixed(0)} MiB. Import plus first call: a whole process (start, import, one link-token call against a loopback fake Plaid, exit), facade then raw client or the reverse, ${FIRST_CALL_RUNS} pairs, median of the per-pair ratios (medians ${firstCall.aMs.toFixed(0)} ms and ${firstCall.bMs.toFixed(0)} ms). The built package (dist/) is measured, as users get it.`,
    figures,
  };
}
