import { createPlaidFacade } from 'plaid-facade';
import { createFakePlaid } from 'plaid-facade/testing';

const fake = createFakePlaid();

// #region listen
// Over real HTTP on 127.0.0.1 (no msw needed)
const { url, close } = await fake.listen(); // port 0 by default: any free port
const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: url });
await close();
// #endregion

await plaid.close();
