// `npm run release:check`: every gate a release must pass, in order, stopping at the first failure.
// It publishes nothing: publishing stays a manual step (CONTRIBUTING.md, "Releasing").
//
// 1. The version is releasable: package.json's version has a dated section in CHANGELOG.md
//    (`## [x.y.z] - YYYY-MM-DD`), and the git tree has no uncommitted change.
// 2. Type check, lint, build, API reference (warnings are errors).
// 3. Package gates: `npm run check:package` (publint --strict, attw --pack, pack contents and size,
//    publish dry run).
// 4. The tests (`npm test`), then the packed package in a scratch consumer (test/package/run.sh:
//    import and require(), every entry's types with TypeScript 5.x and 7.x, examples/jest, the
//    README's Quick start).
// Start Redis and PostgreSQL first (`source .ci/services.sh`): the integration suites need them.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What keeps `version` from being released according to CHANGELOG.md's text: `undefined` when its
 * section is there and dated, else the reason.
 */
export function changelogProblem(changelog, version) {
  const heading = changelog.split('\n').find((line) => line.startsWith(`## [${version}]`));
  if (heading === undefined) return `CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`;
  const date = /^## \[[^\]]+\] - (\d{4}-\d{2}-\d{2})\s*$/.exec(heading)?.[1];
  if (date === undefined || Number.isNaN(Date.parse(date))) {
    return `CHANGELOG.md's section for ${version} has no date ("## [${version}] - YYYY-MM-DD")`;
  }
  return undefined;
}

/** The gates, in order: a label and the command that runs it. */
export const gates = [
  ['type check', 'npm', ['run', 'typecheck']],
  ['lint and format', 'npm', ['run', 'lint']],
  ['build', 'npm', ['run', 'build']],
  ['API reference', 'npm', ['run', 'docs']],
  ['package gates (publint, attw, pack, publish dry run)', 'npm', ['run', 'check:package']],
  ['tests', 'npm', ['test']],
  ['packed package (import, require, types on TypeScript 5 and 7, Jest, Quick start)', 'bash', ['test/package/run.sh']],
];

function main() {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const problem = changelogProblem(readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8'), version);
  if (problem) fail(problem);
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim();
  if (dirty) fail(`uncommitted changes: commit or stash them first\n${dirty}`);
  for (const [label, command, args] of gates) {
    console.log(`\n== release:check ${version}: ${label}`);
    const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (status !== 0) fail(`${label} failed`);
  }
  console.log(`\nrelease:check: ${version} passed every gate. To publish, follow CONTRIBUTING.md ("Releasing").`);
}

function fail(message) {
  console.error(`release:check: ${message}`);
  process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
