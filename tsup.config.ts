import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'stores/redis': 'src/stores/redis.ts',
    'stores/postgres': 'src/stores/postgres.ts',
    'otel/index': 'src/otel/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Maps ship (with the sources embedded) so stack traces and debuggers show the library's own lines;
  // scripts/after-build.mjs makes their paths relative. Their size has its own budget (check-pack.mjs).
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // import.meta.url in the CJS build (the testing entry loads msw lazily with createRequire): the
  // one mechanism for it, so the source never tests for __filename.
  shims: true,
  splitting: true,
  // p-retry is ESM-only: left external, esbuild's CJS interop breaks it (see
  // shared toolchain notes: `(0, import_p_retry.default) is not a function` at run time).
  // Bundling it (and is-network-error) keeps `require('plaid-facade')` working on every Node.
  // jose is ESM-only too: Node 20.19+ would require() it (require(esm)), but Jest's CommonJS runtime
  // cannot (`createRequireEsmError`, seen in examples/jest), nor can older bundlers targeting CJS.
  // Bundled, only the few functions used (decodeProtectedHeader, compactVerify, importJWK) ship.
  noExternal: ['p-retry', 'is-network-error', 'jose'],
  // The CJS chunks are made by sucrase, which puts a class's field initialisers after `super(...)`;
  // jose's errors read `super(message, options), this.name = …`, so that gave `…);, this.name` (a
  // SyntaxError in dist/index.cjs). esbuild lowers public class fields first, leaving sucrase none.
  esbuildOptions(options) {
    options.supported = { ...options.supported, 'class-field': false, 'class-static-field': false };
  },
  external: ['plaid', 'zod', 'msw', 'ioredis', 'pg', '@opentelemetry/api'],
});
