// Runs after tsup (`npm run build`): two fixes to what tsup writes into dist/.
//
// 1. Optional peers in declarations. The testing entry's declarations import msw's `HttpHandler` (the type of `fake.handlers`), but msw is
// an optional peer: a project that uses only `fake.listen()` has no msw, and with `skipLibCheck: false`
// its type check failed with TS2307 inside node_modules. A `// @ts-ignore` on the line above each such
// import makes the handlers' type degrade to `any` there (nothing can use them without msw anyway) and
// leaves it exact where msw is installed. tsup's declaration bundler drops comments from the source, so
// the comment is added here. Any other form of msw import is an error: it would need the same care.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const OPTIONAL_PEERS = ['msw'];
const IGNORE = '// @ts-ignore -- optional peer dependency: without it installed, its types are `any`';

function filesIn(dir, pattern) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesIn(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

const problems = [];
let marked = 0;
for (const file of filesIn('dist', /\.d\.c?ts$/)) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (const [index, line] of lines.entries()) {
    const peer = OPTIONAL_PEERS.find((name) => line.includes(`'${name}'`) || line.includes(`"${name}"`));
    if (peer === undefined) {
      out.push(line);
      continue;
    }
    if (!/^import (type )?\{[^}]*\} from ['"][^'"]+['"];$/.test(line)) {
      problems.push(`${file}:${index + 1}: unexpected use of optional peer ${peer}: ${line}`);
    }
    if (out.at(-1) !== IGNORE) {
      out.push(IGNORE);
      marked += 1;
    }
    out.push(line);
  }
  writeFileSync(file, out.join('\n'));
}

// 2. Source map paths. The CJS maps list the output file itself by its absolute path (the build
// machine's directories would ship), and a bundled dependency is listed through wherever
// node_modules really lives. Every source becomes a path relative to the map, node_modules ones as if
// node_modules were in the project root, as in a fresh clone.
const root = process.cwd();
for (const file of filesIn('dist', /\.map$/)) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const dir = dirname(resolve(file));
  map.sources = map.sources.map((source) => {
    const absolute = resolve(dir, source);
    const inModules = absolute.lastIndexOf('/node_modules/');
    const target = inModules === -1 ? absolute : join(root, absolute.slice(inModules + 1));
    return relative(dir, target);
  });
  writeFileSync(file, JSON.stringify(map));
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`after-build: ${marked} import(s) of ${OPTIONAL_PEERS.join(', ')} marked, source map paths made relative`);
