// The ESM half of block-modules.cjs: `import 'msw'` and `import 'plaid'` fail too.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^(msw|plaid)(\\/|$)/.test(specifier)) {
    const error = new Error("Cannot find module '" + specifier + "' (blocked by test)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`),
);
