import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid();
const server = await fake.listen(); // a real HTTP server on 127.0.0.1
const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url });
const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
console.log(await plaid.getBalances({ userId: 'u1', itemId }));
await server.close();
