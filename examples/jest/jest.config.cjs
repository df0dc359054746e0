// Jest with ts-jest, in a CommonJS project (tsconfig.json: "module": "commonjs"). The fake Plaid is
// served on loopback with `fake.listen()`, so nothing needs transforming: msw, which is ESM, is not used.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
