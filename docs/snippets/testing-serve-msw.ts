// #region msw
// In process, through msw 2: intercepts the endpoints under any base URL (sandbox.plaid.com, a proxy…)
import { setupServer } from 'msw/node';
import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid();
const server = setupServer(...fake.handlers);
server.listen({
  // A request the fake does not answer fails the test, except one to this machine: route tests that
  // call your service over loopback (supertest, fetch('http://127.0.0.1:…')) go through untouched.
  // ('error' would refuse those too: "[MSW] Cannot bypass a request when using the "error" strategy".)
  onUnhandledRequest(request, print) {
    if (['127.0.0.1', 'localhost', '[::1]'].includes(new URL(request.url).hostname)) return;
    print.error();
  },
});
const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret' }); // no basePath needed

// #endregion

// For test/docs/docs-testing.test.ts, which runs this file.
export { fake, plaid, server };
