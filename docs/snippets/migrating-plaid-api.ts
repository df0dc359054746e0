// docs/migrating.md: keeping your own official client. test/docs/docs-snippets-run-hosts.test.ts
// answers for https://production.plaid.com with the fake Plaid (and /transactions/sync, which the
// fake does not serve, with a stand-in) and gives the token store and an Item kept in it.
import { Configuration, PlaidApi, PlaidEnvironments } from 'plaid';
import type { TokenStore } from 'plaid-facade';
import { given } from './given.js';

export interface Given {
  tokenStore: TokenStore; // your durable store (docs/token-storage.md), which keeps the Item's token
  userId: string;
  itemId: string; // an Item the facade linked for that user
}
const { tokenStore, userId, itemId } = given<Given>();

// #region plaid-api
import { createPlaidFacade } from 'plaid-facade';

// The client you already have, configured as before (base path, credentials, proxy, axios options)...
const client = new PlaidApi(
  new Configuration({
    basePath: PlaidEnvironments.production!,
    baseOptions: {
      // as the facade's own client does: never follow a redirect, which would carry PLAID-SECRET along
      maxRedirects: 0,
      headers: { 'PLAID-CLIENT-ID': process.env.PLAID_CLIENT_ID!, 'PLAID-SECRET': process.env.PLAID_SECRET! },
    },
  }),
);

// ...sends the facade's requests. clientId and secret are still required (the secret is what the
// facade redacts from errors), and environment still chooses the default rate limits.
const plaid = createPlaidFacade({
  clientId: process.env.PLAID_CLIENT_ID!,
  secret: process.env.PLAID_SECRET!,
  environment: 'production',
  tokenStore, // required in production: a durable store
  plaidApi: client,
});

// Other products keep using the client directly, with the access token read from your token store
// (the facade never hands it back; the store decrypts it when it is an EncryptedTokenStore).
const item = await tokenStore.get({ userId, itemId });
if (item) await client.transactionsSync({ access_token: item.accessToken });

// #endregion

export { client, plaid };
