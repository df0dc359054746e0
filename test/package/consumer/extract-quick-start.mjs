// Copies the README's Quick start, as the packed package ships it, into quick-start.mts: the block
// after its snippet marker, unchanged.
import { readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync('node_modules/plaid-facade/README.md', 'utf8');
const marker = '<!-- snippet: docs/snippets/readme.ts#quick-start -->';
const start = readme.indexOf(marker);
const block = start === -1 ? null : /```ts\n([\s\S]*?)\n```/.exec(readme.slice(start));
if (!block) {
  console.error(`README.md: no TypeScript block after ${marker}`);
  process.exit(1);
}
writeFileSync('quick-start.mts', `${block[1]}\n`);
console.log(`quick start: ${block[1].split('\n').length} lines copied from the packed README`);
