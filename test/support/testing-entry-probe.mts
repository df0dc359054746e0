// Run by test/testing-entry.test.ts in a child process where msw and plaid cannot be loaded:
// the fake must still serve over HTTP, and only `fake.handlers` may ask for msw.
import { createFakePlaid } from '../../src/testing/index.js';

const fake = createFakePlaid();
const server = await fake.listen();
const response = await fetch(`${server.url}/link/token/create`, {
  method: 'POST',
  headers: { 'PLAID-CLIENT-ID': 'client', 'PLAID-SECRET': 'secret' },
  body: JSON.stringify({
    client_name: 'x',
    language: 'en',
    country_codes: ['US'],
    user: { client_user_id: 'u' },
    products: ['auth'],
  }),
});
console.log(`listen: ${response.status}`);
try {
  void fake.handlers;
  console.log('handlers: loaded');
} catch (error) {
  console.log(`handlers: ${(error as Error).message}`);
}
await server.close();
