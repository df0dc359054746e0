import type { PlaidApi } from 'plaid';

/**
 * The API version every request of our client pins, as the `Plaid-Version` header. A constant of
 * the client, not a default: no option changes it, because the schemas in `src/schemas/` describe
 * this version's answers (a client given as `plaidApi` sends whatever its own configuration says).
 * Moving to a newer version is a change of the facade, schemas included, in a release.
 */
export const PLAID_API_VERSION = '2020-09-14';

/** What building the official client needs. */
export interface OfficialClientSettings {
  /** Plaid's base URL, without a trailing `/`. */
  basePath: string;
  clientId: string;
  secret: string;
}

/**
 * Loads the official client on first use and builds a `PlaidApi`. The `plaid` package is a single
 * ~10 MB module: importing it lazily keeps it out of the start-up of processes that never call
 * Plaid (serverless cold starts, CLIs, test files that use the mock facade).
 */
export async function loadOfficialClient(settings: OfficialClientSettings): Promise<PlaidApi> {
  const plaid = await import('plaid');
  // Under `require()` of our CJS build the namespace may arrive wrapped in `default`.
  const { Configuration, PlaidApi: Api } = 'PlaidApi' in plaid ? plaid : (plaid as { default: typeof plaid }).default;
  const configuration = new Configuration({
    basePath: settings.basePath,
    baseOptions: {
      // Plaid's API never redirects. Following a redirect would send PLAID-SECRET (a custom header,
      // which the redirect follower does not strip) to whatever host it names; 0 also spares each
      // call axios's redirect-following wrapper.
      maxRedirects: 0,
      headers: {
        'PLAID-CLIENT-ID': settings.clientId,
        'PLAID-SECRET': settings.secret,
        'Plaid-Version': PLAID_API_VERSION,
      },
    },
  });
  return new Api(configuration);
}

/**
 * The official client of one facade: the user's own `plaidApi`, or ours built on first use. A
 * failed load (e.g. `plaid` missing) is not cached: the next call tries again.
 */
export function officialClient(given: PlaidApi | undefined, settings: OfficialClientSettings): () => Promise<PlaidApi> {
  let loading: Promise<PlaidApi> | undefined;
  return () => {
    if (!loading) {
      loading = given ? Promise.resolve(given) : loadOfficialClient(settings);
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
}
