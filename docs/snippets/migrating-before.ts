// docs/migrating.md, before: the official client alone. `db` and `publicToken` are your
// application's: test/docs/docs-snippets-run-hosts.test.ts gives them (a public token of the fake Plaid,
// a Map for a database) and answers for https://sandbox.plaid.com with the fake.
import { given } from './given.js';

export interface Given {
  publicToken: string;
  db: {
    saveAccessToken(userId: string, itemId: string, accessToken: string): Promise<void>;
    accessToken(userId: string, itemId: string): Promise<string>;
  };
}
const { publicToken, db } = given<Given>();

// #region before
import { Configuration, CountryCode, PlaidApi, PlaidEnvironments, Products } from 'plaid';

const client = new PlaidApi(
  new Configuration({
    basePath: PlaidEnvironments.sandbox!, // the client's default base path is production
    baseOptions: {
      headers: { 'PLAID-CLIENT-ID': process.env.PLAID_CLIENT_ID!, 'PLAID-SECRET': process.env.PLAID_SECRET! },
      // no timeout unless you set one
    },
  }),
);

const link = await client.linkTokenCreate({
  user: { client_user_id: 'user-42' },
  client_name: 'My App',
  products: [Products.Auth],
  country_codes: [CountryCode.Us],
  language: 'en',
});
const linkToken = link.data.link_token; // expiration: an ISO string

const exchange = await client.itemPublicTokenExchange({ public_token: publicToken });
await db.saveAccessToken('user-42', exchange.data.item_id, exchange.data.access_token); // yours to keep safe

try {
  const balances = await client.accountsBalanceGet({
    access_token: await db.accessToken('user-42', exchange.data.item_id),
  });
  console.log(balances.data.accounts[0]?.balances.iso_currency_code);
} catch (error) {
  // An AxiosError: error.config holds the PLAID-SECRET header and the access token. Never log it.
  const body = (error as { response?: { data?: { error_code?: string } } }).response?.data;
  if (body?.error_code === 'ITEM_LOGIN_REQUIRED') {
    // update mode: linkTokenCreate({ ..., access_token }) with the token from your database
  }
  throw error;
}

// #endregion

export { linkToken };
