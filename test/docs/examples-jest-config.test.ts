/**
 * examples/jest from a clone of this repository (no plaid-facade in a node_modules there): its Jest
 * config maps the package to the repository's build instead of failing with TS2307, and says to
 * build first when there is none. (From the packed package, test/package/run.sh runs the example.)
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const example = join(import.meta.dirname, '..', '..', 'examples', 'jest');
const built = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'testing', 'index.cjs'));

function loadConfig(): {
  moduleNameMapper?: Record<string, string>;
  transform: Record<string, [string, { tsconfig: string }]>;
} {
  const require = createRequire(join(example, 'jest.config.cjs'));
  delete require.cache[require.resolve('./jest.config.cjs')];
  return require('./jest.config.cjs');
}

describe('examples/jest run from a clone', () => {
  it.skipIf(!built)('maps plaid-facade to the built dist/ and type-checks against its declarations', () => {
    const config = loadConfig();
    const mapped = Object.values(config.moduleNameMapper ?? {});
    expect(mapped).toHaveLength(2);
    for (const file of mapped) expect(existsSync(file), file).toBe(true);
    const [, options] = config.transform['^.+\\.ts$'] ?? ['', { tsconfig: '' }];
    expect(options.tsconfig).toBe('<rootDir>/tsconfig.clone.json');
    const clone = createRequire(join(example, 'x.js'))('./tsconfig.clone.json') as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    for (const [target] of Object.values(clone.compilerOptions.paths)) {
      expect(existsSync(join(example, target ?? '')), target).toBe(true);
    }
  });

  it.skipIf(built)('without a build, names the command to run', () => {
    expect(() => loadConfig()).toThrow('npm run build');
  });
});
