// Jest with ts-jest, in a CommonJS project (tsconfig.json: "module": "commonjs"). The fake Plaid is
// served on loopback with `fake.listen()`, so nothing needs transforming: msw, which is ESM, is not used.
//
// In your project `plaid-facade` is installed in node_modules. Run from a clone of the plaid-facade
// repository instead, it is not: then 'plaid-facade' maps to the repository's own build (dist/,
// `npm run build` at the root first) and tsconfig.clone.json gives TypeScript its declarations.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const repository = join(__dirname, '..', '..');
// Installed: found in a node_modules (inside the repository, Node resolves the name to the
// repository itself, which TypeScript's CommonJS resolution does not).
const installed = (() => {
  try {
    return require.resolve('plaid-facade/package.json', { paths: [__dirname] }).includes('node_modules');
  } catch {
    return false;
  }
})();
const inClone = !installed && existsSync(join(repository, 'src', 'index.ts'));
if (inClone && !existsSync(join(repository, 'dist', 'testing', 'index.cjs'))) {
  throw new Error('examples/jest runs against the built package: run `npm run build` at the repository root first');
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: `<rootDir>/${inClone ? 'tsconfig.clone.json' : 'tsconfig.json'}` }],
  },
  ...(inClone
    ? {
        moduleNameMapper: {
          '^plaid-facade$': join(repository, 'dist', 'index.cjs'),
          '^plaid-facade/testing$': join(repository, 'dist', 'testing', 'index.cjs'),
        },
      }
    : {}),
};
