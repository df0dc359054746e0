// Writes one import of every entry of the installed plaid-facade (read from its package.json
// `exports`, so a new entry is covered without editing this), as entries.ts (node10 and bundler),
// entries.cts (node16, CommonJS) and entries.mts (node16, ESM).
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('node_modules/plaid-facade/package.json', 'utf8'));
const specifiers = Object.keys(pkg.exports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => (subpath === '.' ? 'plaid-facade' : `plaid-facade/${subpath.slice(2)}`));
const lines = specifiers.map((specifier, index) => `import * as entry${index} from '${specifier}';`);
// Each namespace is used, so no import is elided, and a missing entry cannot pass as `any`.
lines.push(
  `export const entries: Array<Record<string, unknown>> = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];`,
);
const text = `${lines.join('\n')}\n`;
for (const file of ['entries.ts', 'entries.cts', 'entries.mts']) writeFileSync(file, text);
console.log(`entries: ${specifiers.join(', ')}`);
