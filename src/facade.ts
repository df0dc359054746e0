import type {
  AccountsBalanceGetRequest,
  ItemPublicTokenExchangeRequest,
  ItemRemoveRequest,
  LinkTokenCreateRequest,
  PlaidApi,
} from 'plaid';
import type { z } from './schemas/zod.js';
import { type CallContext, type CallSpec, runCall } from './call.js';
import { isPlaidFacadeError, PlaidApiError, PlaidSchemaError } from './errors.js';
import type { PlaidEndpoint, PlaidFacadeEvent } from './events.js';
import { createRateLimiter } from './pipeline/rate-limit.js';
import { mergeRetryOptions, resolveRetryOptions } from './pipeline/retry.js';
import { RetryBudget } from './pipeline/retry-budget.js';
import { loadPlaidApi, PLAID_BASE_URLS } from './plaid-client.js';
import { accountsBalanceGetResponseSchema } from './schemas/accounts-balance-get.js';
import { itemPublicTokenExchangeResponseSchema } from './schemas/item-public-token-exchange.js';
import { itemRemoveResponseSchema } from './schemas/item-remove.js';
import { linkTokenCreateResponseSchema } from './schemas/link-token-create.js';
import { saveExchangedItem } from './save-exchanged-item.js';
import { deleteAfterRemovalFailed, readItem } from './store-access.js';
import { MemoryTokenStore } from './stores/memory.js';
import { UncertainExchanges } from './uncertain-exchanges.js';
import type { CallOptions, PlaidFacade, PlaidFacadeOptions } from './types.js';
import {
  validateBalancesInput,
  validateCallOptions,
  validateExchangeInput,
  validateFacadeOptions,
  validateLinkTokenInput,
  validateRemoveItemInput,
} from './validate.js';

/** Default timeout of one attempt of link-token, exchange and Item-removal calls. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default timeout of one attempt of a balance call: Plaid reads the bank live, sometimes for over 30 s. */
export const DEFAULT_BALANCE_TIMEOUT_MS = 60_000;

/**
 * Creates a facade over Plaid's link-token, exchange, balance and Item-removal calls, with
 * validated responses, typed errors, retry, rate limiting and a token store. Throws
 * `InvalidArgumentError` at once on bad options. The official client is loaded on first call.
 */
export function createPlaidFacade(options: PlaidFacadeOptions): PlaidFacade {
  validateFacadeOptions(options);
  const environment = options.environment ?? 'sandbox';
  const store = options.tokenStore ?? new MemoryTokenStore();
  const secret = options.secret;
  const emit = safeEmitter(options.onEvent);
  const context: CallContext = {
    limiter: createRateLimiter(options.rateLimit, environment, emit),
    budget: new RetryBudget(),
    emit,
  };
  const uncertain = new UncertainExchanges();
  let loading: Promise<PlaidApi> | undefined;
  // Loaded before an attempt's clock starts, so the first call's timeout doesn't pay for the load.
  const api = (): Promise<PlaidApi> => {
    if (!loading) {
      loading = options.plaidApi
        ? Promise.resolve(options.plaidApi)
        : loadPlaidApi({
            basePath: options.basePath ?? PLAID_BASE_URLS[environment],
            clientId: options.clientId,
            secret,
          });
      // A failed load (e.g. `plaid` missing) is not cached: the next call tries again.
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };

  const spec = <S extends z.ZodType>(
    endpoint: PlaidEndpoint,
    call: CallOptions | undefined,
    parts: Pick<CallSpec<S>, 'send' | 'schema' | 'itemId' | 'nonIdempotent' | 'onInvalidBody'> & {
      accessToken?: string;
    },
  ): CallSpec<S> => ({
    endpoint,
    ...parts,
    secrets: [secret, parts.accessToken],
    timeoutMs:
      call?.timeoutMs ??
      options.timeoutMs ??
      (endpoint === '/accounts/balance/get' ? DEFAULT_BALANCE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
    retry: resolveRetryOptions(mergeRetryOptions(options.retry, call?.retry)),
    signal: call?.signal,
  });

  const removeAtPlaid = async (accessToken: string, itemId: string | undefined, call?: CallOptions) => {
    const request: ItemRemoveRequest = { access_token: accessToken };
    const client = await api();
    return runCall(
      spec('/item/remove', call, {
        schema: itemRemoveResponseSchema,
        itemId,
        accessToken,
        send: (transport) => client.itemRemove(request, transport),
      }),
      context,
    );
  };

  return {
    async linkToken(input, call) {
      validateLinkTokenInput(input);
      validateCallOptions(call);
      const accessToken = input.itemId
        ? (await readItem(store, { userId: input.userId, itemId: input.itemId })).accessToken
        : undefined;
      const request = {
        client_name: input.clientName ?? options.clientName ?? 'plaid-facade',
        language: input.language ?? 'en',
        country_codes: input.countryCodes ?? ['US'],
        user: { client_user_id: input.userId },
        // Update mode repairs an existing Item: products only when asked for explicitly.
        ...(accessToken ? { access_token: accessToken } : { products: input.products ?? ['auth'] }),
        ...(accessToken && input.products ? { products: input.products } : {}),
        ...(input.webhook ? { webhook: input.webhook } : {}),
        ...(input.redirectUri ? { redirect_uri: input.redirectUri } : {}),
      } as LinkTokenCreateRequest;
      const client = await api();
      const body = await runCall(
        spec('/link/token/create', call, {
          schema: linkTokenCreateResponseSchema,
          accessToken,
          send: (transport) => client.linkTokenCreate(request, transport),
        }),
        context,
      );
      return { linkToken: body.link_token, expiration: body.expiration, requestId: body.request_id };
    },

    async exchange(input, call) {
      validateExchangeInput(input);
      validateCallOptions(call);
      const request: ItemPublicTokenExchangeRequest = { public_token: input.publicToken };
      const client = await api();
      const body = await runCall(
        spec('/item/public_token/exchange', call, {
          schema: itemPublicTokenExchangeResponseSchema,
          nonIdempotent: true,
          send: (transport) => client.itemPublicTokenExchange(request, transport),
          // An answer we cannot read may still hold a fresh access token: remove that Item at
          // Plaid rather than leave it billed with a token nobody keeps.
          onInvalidBody: async (data) => {
            const token = (data as { access_token?: unknown } | null)?.access_token;
            if (typeof token === 'string' && token.length > 0) await removeAtPlaid(token, undefined).catch(() => {});
          },
        }),
        context,
      ).catch((error: unknown) => {
        if (isPlaidFacadeError(error) && error.outcomeUnknown) uncertain.remember(input.publicToken);
        throw uncertain.explain(input.publicToken, error);
      });
      await saveExchangedItem({
        store,
        item: { userId: input.userId, itemId: body.item_id, accessToken: body.access_token, createdAt: new Date() },
        removeAtPlaid: () => removeAtPlaid(body.access_token, body.item_id),
        secrets: [secret, body.access_token, input.publicToken],
      });
      return { userId: input.userId, itemId: body.item_id, requestId: body.request_id };
    },

    async getBalances(input, call) {
      validateBalancesInput(input);
      validateCallOptions(call);
      const { accessToken } = await readItem(store, input);
      const request: AccountsBalanceGetRequest = { access_token: accessToken };
      if (input.accountIds || input.minLastUpdated) {
        request.options = {
          ...(input.accountIds ? { account_ids: input.accountIds } : {}),
          ...(input.minLastUpdated ? { min_last_updated_datetime: input.minLastUpdated.toISOString() } : {}),
        };
      }
      const client = await api();
      const body = await runCall(
        spec('/accounts/balance/get', call, {
          schema: accountsBalanceGetResponseSchema,
          itemId: input.itemId,
          accessToken,
          send: (transport) => client.accountsBalanceGet(request, transport),
        }),
        context,
      );
      if (body.item.item_id !== input.itemId) {
        // The token answered for another Item: returning its balances would mix up accounts.
        throw new PlaidSchemaError(
          '/accounts/balance/get',
          [{ path: ['item', 'item_id'], message: `expected the Item ${input.itemId}, got another` }],
          body.request_id,
        );
      }
      return {
        userId: input.userId,
        itemId: input.itemId,
        requestId: body.request_id,
        fetchedAt: new Date(),
        accounts: body.accounts,
      };
    },

    async removeItem(input, call) {
      validateRemoveItemInput(input);
      validateCallOptions(call);
      const { accessToken } = await readItem(store, input);
      let requestId: string;
      try {
        requestId = (await removeAtPlaid(accessToken, input.itemId, call)).request_id;
      } catch (error) {
        // The Item is already gone at Plaid (removed earlier, or the token was revoked): finish
        // the job locally so a retried removal converges.
        if (!(error instanceof PlaidApiError) || !GONE_CODES.has(error.errorCode)) throw error;
        requestId = error.requestId ?? '';
      }
      try {
        await store.delete({ userId: input.userId, itemId: input.itemId });
      } catch (error) {
        throw deleteAfterRemovalFailed(error, input.itemId, [secret, accessToken]);
      }
      return { userId: input.userId, itemId: input.itemId, requestId };
    },

    close: () => context.limiter.close(),
  };
}

/** Plaid's answers meaning the Item no longer exists there. */
const GONE_CODES: ReadonlySet<string> = new Set(['INVALID_ACCESS_TOKEN', 'ITEM_NOT_FOUND']);

// A listener that throws must not break a call to Plaid.
function safeEmitter(onEvent: PlaidFacadeOptions['onEvent']): (event: PlaidFacadeEvent) => void {
  if (!onEvent) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // ignored on purpose
    }
  };
}
