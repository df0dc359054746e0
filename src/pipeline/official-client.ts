import type {
  AccountsBalanceGetRequest,
  AccountsGetRequest,
  ItemGetRequest,
  ItemProductsTerminateRequest,
  ItemPublicTokenExchangeRequest,
  ItemRemoveRequest,
  LinkTokenCreateRequest,
  LinkTokenGetRequest,
  PlaidApi,
  SignalDecisionReportRequest,
  SignalEvaluateRequest,
  SignalReturnReportRequest,
  UserCreateRequest,
  WebhookVerificationKeyGetRequest,
} from 'plaid';
import type { PlaidEndpoint } from '../events.js';
import type { TransportResponse } from './parse.js';

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

/** The request the official client takes for each endpoint the facade calls. */
export interface PlaidRequests {
  '/link/token/create': LinkTokenCreateRequest;
  '/link/token/get': LinkTokenGetRequest;
  '/item/public_token/exchange': ItemPublicTokenExchangeRequest;
  '/accounts/balance/get': AccountsBalanceGetRequest;
  '/accounts/get': AccountsGetRequest;
  '/item/get': ItemGetRequest;
  '/item/remove': ItemRemoveRequest;
  '/item/products/terminate': ItemProductsTerminateRequest;
  '/webhook_verification_key/get': WebhookVerificationKeyGetRequest;
  '/signal/evaluate': SignalEvaluateRequest;
  '/signal/decision/report': SignalDecisionReportRequest;
  '/signal/return/report': SignalReturnReportRequest;
  '/user/create': UserCreateRequest;
}

/** The options of one request to the official client (an axios request config). */
export interface TransportOptions {
  signal: AbortSignal;
  /** The most bytes of answer axios reads (after decompression) before it gives up. */
  maxContentLength: number;
  /**
   * `'text'`: axios hands the body over as text instead of parsing it with one `JSON.parse`, which
   * for a hostile body holds the event loop; the pipeline parses it within bounds (`parse.ts`).
   * `'stream'`: for an answer the pipeline reads itself (the exchange's, `read-body.ts`).
   */
  responseType: 'text' | 'stream';
}

type SendTo<Endpoint extends PlaidEndpoint> = (
  api: PlaidApi,
  request: PlaidRequests[Endpoint],
  options: TransportOptions,
) => Promise<TransportResponse>;

/**
 * The one table from a Plaid path to the official client's method: an endpoint missing here, or a
 * request of the wrong type for it, does not compile.
 */
const methods: { readonly [Endpoint in PlaidEndpoint]: SendTo<Endpoint> } = {
  '/link/token/create': (api, request, options) => api.linkTokenCreate(request, options),
  '/link/token/get': (api, request, options) => api.linkTokenGet(request, options),
  '/item/public_token/exchange': (api, request, options) => api.itemPublicTokenExchange(request, options),
  '/accounts/balance/get': (api, request, options) => api.accountsBalanceGet(request, options),
  '/accounts/get': (api, request, options) => api.accountsGet(request, options),
  '/item/get': (api, request, options) => api.itemGet(request, options),
  '/item/remove': (api, request, options) => api.itemRemove(request, options),
  '/item/products/terminate': (api, request, options) => api.itemProductsTerminate(request, options),
  '/webhook_verification_key/get': (api, request, options) => api.webhookVerificationKeyGet(request, options),
  '/signal/evaluate': (api, request, options) => api.signalEvaluate(request, options),
  '/signal/decision/report': (api, request, options) => api.signalDecisionReport(request, options),
  '/signal/return/report': (api, request, options) => api.signalReturnReport(request, options),
  // The new User API (user_id); the same client_user_id always gets the same user_id back.
  '/user/create': (api, request, options) => api.userCreate(request, true, options),
};

/** Sends one request to `endpoint` with the official client's method for it. */
export function sendRequest<Endpoint extends PlaidEndpoint>(
  api: PlaidApi,
  endpoint: Endpoint,
  request: PlaidRequests[Endpoint],
  options: TransportOptions,
): Promise<TransportResponse> {
  // TypeScript does not follow the endpoint from the key to the request type; the table above is checked.
  const send = methods[endpoint] as SendTo<Endpoint>;
  return send(api, request, options);
}
