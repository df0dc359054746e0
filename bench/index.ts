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
  for (const bench of [overhead, limiterFidelity, retryUnderFaults, coldStart]) {
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
  const path = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  writeFileSync(path, `${lines.join('\n')}\n`);
  console.log(`\nwrote ${path}`);
}

await main();
