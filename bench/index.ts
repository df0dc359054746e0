import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { run as coldStart } from './cold-start.js';
import { run as limiterFidelity } from './limiter-fidelity.js';
import { run as overhead } from './overhead.js';
import { run as retryUnderFaults } from './retry-under-faults.js';
import type { BenchSection } from './section.js';

/**
 * Runs every benchmark once and writes docs/performance.md. Each figure is a ratio or a count
 * measured within this one run, so it compares like with like on whatever machine runs it.
 */
async function main(): Promise<void> {
  const sections: BenchSection[] = [];
  // Cold start first, while this process is still small; the limiter before the heavier runs.
  for (const bench of [coldStart, limiterFidelity, retryUnderFaults, overhead]) {
    const section = await bench();
    sections.push(section);
    console.log(`\n${section.title}`);
    for (const f of section.figures) {
      console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Performance',
    '',
    'Written by `npm run bench` (bench/). Every figure is a ratio or a count measured in one run on the',
    'machine below, so figures compare like with like; absolute times vary between machines.',
    '',
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}. Run on ${new Date().toISOString().slice(0, 10)}.`,
  ];
  for (const section of sections) {
    lines.push('', `## ${section.title}`, '', section.method, '', '| figure | value | target | |', '|---|---|---|---|');
    for (const f of section.figures) {
      lines.push(
        `| ${f.name} | ${f.value} | ${f.target ?? ''} | ${f.met === undefined ? '' : f.met ? 'met' : '**missed**'} |`,
      );
    }
  }
  lines.push(
    '',
    '## Reading the figures',
    '',
    '- **Overhead.** Against an instant loopback server a whole call takes about a millisecond, so fixed',
    '  costs set the ratio. Most of it is bottleneck: each job goes through a timer turn of at least 1 ms,',
    '  and a balance call passes two limits (the Item, then the endpoint). Without the limiter, input and',
    '  response validation (zod), the retry and timeout wrappers and the store lookup cost tens of',
    '  microseconds a call. Against a server that answers in 100 ms the ratio is close to the 1.03×',
    '  target; real balance calls take seconds, where the difference is well under 1 %.',
    '- **Import plus first call.** Importing the facade costs zod and bottleneck (about 25 ms together)',
    '  on top of the official client, which the first call loads; the ratio moves by several hundredths',
    '  from run to run on this 2-core machine.',
    '- **Limiter over Redis.** The achieved rate over Redis varies between runs (0.85–0.98× seen), with',
    "  bottleneck's clustering messages and heartbeats; no run has put more than the limit in a window.",
  );
  const path = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  writeFileSync(path, `${lines.join('\n')}\n`);
  console.log(`\nwrote ${path}`);
}

await main();
