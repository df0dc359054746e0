// Checks what `npm pack` would publish: only the build (with its source maps), the docs users need and
// the license; no tests, sources, environment files or keys; dist/ within its budgets; and package.json's
// entries resolvable by every TypeScript setup (node10 needs a `typesVersions` line per subpath).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

// Code and declarations. Source maps have their own budget: they embed the TypeScript sources
// (`sourcesContent`) once per format, so that a debugger or `node --enable-source-maps` shows the
// library's own lines without the sources shipping as files.
// 0.1 was 410 KiB of code; 0.2's webhooks, observability, otel entry, balance cache and single-flight
// made it about 880 KiB (ESM and CJS builds and their declarations, each counted). The budget leaves
// room for fixes, not for another feature set: a jump past it is worth a look.
// 0.3's evaluatePayment, Signal reports and their fake endpoints: about 75 KiB more (1,254 KiB); then
// linking (completeLink, exactly-once claims, link records in every store, LINK webhooks, users),
// the shared-limit engine with lanes and recovery, shared webhook keys, balance leases and the
// fleet-sized Redis store: about 1,565 KiB of code and 2,230 KiB of maps in all.
const BUDGET_BYTES = 1700 * 1024;
const MAP_BUDGET_BYTES = 2400 * 1024;
const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
);
const files = report.files.map((f) => ({ path: f.path, size: f.size }));
const paths = new Set(files.map((f) => f.path));
const allowed = /^(dist\/.+\.(c?js|d\.c?ts|c?js\.map)|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
const forbidden = /(\.test\.|(^|\/)\.env|\.pem$|\.key$|^src\/|^test\/|^examples\/|^bench\/|^docs\/)/;
const problems = [];
for (const { path } of files) {
  if (!allowed.test(path)) problems.push(`not expected in the package: ${path}`);
  if (forbidden.test(path)) problems.push(`must not be published: ${path}`);
  if (/\.c?js$/.test(path) && !paths.has(`${path}.map`)) problems.push(`no source map for ${path}`);
  if (path.endsWith('.map')) {
    const { sources } = JSON.parse(readFileSync(path, 'utf8'));
    for (const source of sources.filter((s) => isAbsolute(s)))
      problems.push(`${path} names ${source}: build paths ship`);
  }
}

// Every entry of `exports`: its files are in the package, and node10 (`module: commonjs`, which
// ignores `exports`) finds its types through `typesVersions`.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const typesVersions = pkg.typesVersions?.['*'] ?? {};
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string') continue; // ./package.json
  const requireTypes = target.require?.types;
  for (const file of [target.import?.types, target.import?.default, requireTypes, target.require?.default]) {
    if (typeof file !== 'string') problems.push(`exports["${subpath}"] lacks an import/require types or default`);
    else if (!paths.has(file.replace(/^\.\//, ''))) problems.push(`missing from the package: ${file}`);
  }
  if (subpath === '.') continue; // node10 uses "types"
  const mapped = typesVersions[subpath.replace(/^\.\//, '')];
  if (mapped?.[0] !== requireTypes) {
    problems.push(
      `typesVersions["*"]["${subpath.replace(/^\.\//, '')}"] must be ["${requireTypes}"] (node10 resolution), not ${JSON.stringify(mapped)}`,
    );
  }
}

const inDist = (test) =>
  files.filter((f) => f.path.startsWith('dist/') && test(f.path)).reduce((s, f) => s + f.size, 0);
const distBytes = inDist((path) => !path.endsWith('.map'));
const mapBytes = inDist((path) => path.endsWith('.map'));
if (distBytes > BUDGET_BYTES) problems.push(`dist/ is ${distBytes} bytes, over its budget of ${BUDGET_BYTES}`);
if (mapBytes > MAP_BUDGET_BYTES)
  problems.push(`source maps are ${mapBytes} bytes, over their budget of ${MAP_BUDGET_BYTES}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const kib = (bytes) => (bytes / 1024).toFixed(1);
console.log(
  `pack ok: ${files.length} files, dist/ ${kib(distBytes)} KiB of a ${kib(BUDGET_BYTES)} KiB budget, ` +
    `source maps ${kib(mapBytes)} KiB of ${kib(MAP_BUDGET_BYTES)} KiB`,
);
