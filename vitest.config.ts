import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; in this repository that is the source.
    alias: [
      { find: /^plaid-facade\/stores\/redis$/, replacement: source('./src/stores/redis.ts') },
      { find: /^plaid-facade\/stores\/postgres$/, replacement: source('./src/stores/postgres.ts') },
      { find: /^plaid-facade\/otel$/, replacement: source('./src/otel/index.ts') },
      { find: /^plaid-facade\/testing$/, replacement: source('./src/testing/index.ts') },
      { find: /^plaid-facade$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
