import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('the testing entry', () => {
  it('works through listen() where msw and plaid are not installed, and says what handlers need', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--require',
        './test/support/block-modules.cjs',
        '--import',
        './test/support/block-modules.mjs',
        '--import',
        'tsx',
        './test/support/testing-entry-probe.mts',
      ],
      { cwd: root },
    );
    expect(stdout).toContain('listen: 200');
    expect(stdout).toMatch(/handlers: fake\.handlers needs msw 2/);
  });

  it('is never imported by the rest of the library', async () => {
    const offenders: string[] = [];
    async function scan(dir: string): Promise<void> {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'testing') await scan(path);
        } else if (/\.ts$/.test(entry.name) && /from '[./]+\/?testing\//.test(await readFile(path, 'utf8'))) {
          offenders.push(path);
        }
      }
    }
    await scan(join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
