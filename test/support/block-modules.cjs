// Preload for child processes: makes `require('msw')` and `require('plaid')` fail as if the
// packages were not installed, so a test can prove that code does not need them.
const Module = require('node:module');
const blocked = (request) => /^(msw|plaid)(\/|$)/.test(request);
const original = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  if (blocked(request)) {
    const error = new Error(`Cannot find module '${request}' (blocked by test)`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return original.call(this, request, ...rest);
};
