import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';

// #region msw
// In process, through msw 2: intercepts the endpoints under any base URL (sandbox.plaid.com, a proxy…)
import { setupServer } from 'msw/node';
const fake = createFakePlaid();
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });
const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret' }); // no basePath needed
// #endregion

await plaid.close();
server.close();
