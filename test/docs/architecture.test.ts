import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/architecture.md: imports go down the stage order, never up. A file may import its own
// layer or a lower one. The layers, lowest first:
const layers: Array<[string, RegExp]> = [
  ['errors', /^errors(\.ts|\/)/],
  ['schemas and stores', /^(schemas|stores)\//],
  ['options, types, events, observability', /^(options\.ts|options\/|types\.ts|types\/|events\.ts|observability\/)/],
  ['pipeline', /^pipeline\//],
  ['facade and webhooks', /^(facade|webhooks)\//],
  ['entries', /^(index\.ts|testing\/|otel\/)/],
];
// The store entries (plaid-facade/stores/redis, /postgres) sit with the stores: they import only
// what stores may.

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(path: string): number {
  const index = layers.findIndex(([, pattern]) => pattern.test(path));
  if (index < 0) throw new Error(`${path} belongs to no layer of docs/architecture.md: add it there and here`);
  return index;
}

describe('architecture', () => {
  it('no file in src/ imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of files(src)) {
      const from = relative(src, file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = relative(src, resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts')));
        if (target.startsWith('..')) continue;
        if (layerOf(target) > layerOf(from)) {
          upward.push(`${from} (${layers[layerOf(from)]?.[0]}) imports ${target} (${layers[layerOf(target)]?.[0]})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('src/ root keeps only public concepts', () => {
    const root = readdirSync(src).filter((name) => name.endsWith('.ts'));
    expect(root.sort()).toEqual(['errors.ts', 'events.ts', 'index.ts', 'options.ts', 'types.ts']);
  });

  it('src/facade/ root holds the operations (each wired in create.ts); helpers live in internal/', () => {
    const facade = join(src, 'facade');
    const wiring = readFileSync(join(facade, 'create.ts'), 'utf8');
    // What create.ts imports from internal/ counts too: `exchange` is wired through exchange-once.ts.
    const through = [...wiring.matchAll(/from '\.\/internal\/([\w-]+)\.js'/g)].map((match) =>
      readFileSync(join(facade, 'internal', `${match[1]}.ts`), 'utf8'),
    );
    const wired = (name: string) =>
      wiring.includes(`from './${name.replace(/\.ts$/, '.js')}'`) ||
      through.some((text) => text.includes(`from '../${name.replace(/\.ts$/, '.js')}'`));
    const roots = readdirSync(facade).filter((name) => name.endsWith('.ts') && name !== 'create.ts');
    expect(roots.filter((name) => !wired(name))).toEqual([]);
  });

  it('src/index.ts only re-exports', () => {
    const statements = readFileSync(join(src, 'index.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '') // the module's doc comment
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements.filter((statement) => !statement.startsWith('export '))).toEqual([]);
    expect(statements.every((statement) => / from '\.\/[^']+'$/.test(statement))).toBe(true);
  });
});
