/**
 * `npm run release:check` (scripts/release-check.mjs): the CHANGELOG check it starts with, and the
 * gates it runs (every one a release needs, publishing none).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script, without declarations
import { changelogProblem, gates } from '../../scripts/release-check.mjs';

const check = changelogProblem as (changelog: string, version: string) => string | undefined;

describe('release:check', () => {
  it('needs a dated CHANGELOG section for the version', () => {
    expect(check('## [Unreleased]\n\n## [0.2.0] - 2026-12-07\n', '0.2.0')).toBeUndefined();
    expect(check('## [Unreleased]\n', '0.3.0')).toMatch(/no "## \[0.3.0\]/);
    expect(check('## [0.3.0]\n', '0.3.0')).toMatch(/has no date/);
    expect(check('## [0.3.0] - soon\n', '0.3.0')).toMatch(/has no date/);
  });

  it("passes for this repository's version", () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(check(readFileSync('CHANGELOG.md', 'utf8'), version)).toBeUndefined();
  });

  it('runs every gate (check:package with attw, the tests, the packed package) and never publishes', () => {
    const commands = (gates as Array<[string, string, string[]]>).map(([, command, args]) =>
      [command, ...args].join(' '),
    );
    expect(commands).toEqual(
      expect.arrayContaining(['npm run typecheck', 'npm run check:package', 'npm test', 'bash test/package/run.sh']),
    );
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['check:package']).toContain('attw --pack');
    expect(scripts['release:check']).toBe('node scripts/release-check.mjs');
    expect(commands.join('\n')).not.toMatch(/publish(?! --dry-run)/);
  });
});
