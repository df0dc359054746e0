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
  noExternal: ['p-retry', 'is-network-error'],
  external: ['plaid', 'zod', 'msw', 'ioredis', 'pg', '@opentelemetry/api'],
});
