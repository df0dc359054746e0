// Checks what `npm pack` would publish: only the build, the docs users need and the license; no
// tests, sources, sourcemaps (left out on purpose: they would ship the TypeScript sources twice),
// environment files or keys; and the unpacked size of dist/ within its budget.
import { execFileSync } from 'node:child_process';

const BUDGET_BYTES = 512 * 1024;
const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
);
const files = report.files.map((f) => ({ path: f.path, size: f.size }));
const allowed = /^(dist\/.+\.(c?js|d\.c?ts)|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
const forbidden = /(\.test\.|\.map$|(^|\/)\.env|\.pem$|\.key$|^src\/|^test\/|^examples\/|^bench\/|^docs\/)/;
const problems = [];
for (const { path } of files) {
  if (!allowed.test(path)) problems.push(`not expected in the package: ${path}`);
  if (forbidden.test(path)) problems.push(`must not be published: ${path}`);
}
for (const entry of [
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/testing/index.js',
  'dist/stores/redis.cjs',
  'dist/stores/postgres.js',
  'dist/otel/index.js',
  'dist/otel/index.cjs',
  'dist/otel/index.d.cts',
]) {
  if (!files.some((f) => f.path === entry)) problems.push(`missing from the package: ${entry}`);
}
const distBytes = files.filter((f) => f.path.startsWith('dist/')).reduce((sum, f) => sum + f.size, 0);
if (distBytes > BUDGET_BYTES) problems.push(`dist/ is ${distBytes} bytes, over its budget of ${BUDGET_BYTES}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `pack ok: ${files.length} files, dist/ ${(distBytes / 1024).toFixed(1)} KiB of a ${BUDGET_BYTES / 1024} KiB budget`,
);
