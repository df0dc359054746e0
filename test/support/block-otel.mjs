// Preload for child processes: makes `@opentelemetry/*` fail to load, from `import` and from
// `require()`, as if it were not installed, so a test can prove that code does not need it.
import Module, { register } from 'node:module';

const pattern = /^@opentelemetry\//;
register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (${pattern}.test(specifier)) {
    const error = new Error("Cannot find module '" + specifier + "' (blocked by test)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`),
);
const original = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  if (pattern.test(request)) {
    const error = new Error(`Cannot find module '${request}' (blocked by test)`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return original.call(this, request, ...rest);
};
