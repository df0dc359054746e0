import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('@opentelemetry/api stays out of the main entry', () => {
  it('the main entry imports and calls Plaid where @opentelemetry/* cannot be loaded; plaid-facade/otel cannot', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', './test/support/block-otel.mjs', '--import', 'tsx', './test/support/otel-free-probe.mts'],
      { cwd: root, timeout: 30_000 },
    );
    expect(stdout).toContain('calls: start,asyncEnd; lines: 2');
    // the control: the block works, and the otel entry is the one that needs the package
    expect(stdout).toMatch(/otel entry: Cannot find module '@opentelemetry\/api' \(blocked by test\)/);
  });

  it('only src/otel/ imports @opentelemetry', async () => {
    const offenders: string[] = [];
    async function scan(dir: string): Promise<void> {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== join(root, 'src', 'otel')) await scan(path);
        } else if (/\.ts$/.test(entry.name) && /from '@opentelemetry\//.test(await readFile(path, 'utf8'))) {
          offenders.push(relative(root, path));
        }
      }
    }
    await scan(join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
