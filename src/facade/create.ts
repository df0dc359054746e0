import { FacadeClosedError, redactorOf } from '../errors.js';
import { type PlaidFacadeEvent, safeEmitter } from '../events.js';
import { publishBalanceBilled } from '../observability/channels.js';
import type { ObservabilitySettings } from '../observability/trace-call.js';
import { CLOSE_WAIT_MS } from '../options/defaults.js';
import { type PlaidFacadeOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { officialClient } from '../pipeline/official-client.js';
import { createRateLimiter } from '../pipeline/rate-limit/rate-limiter.js';
import { RetryBudget } from '../pipeline/retry-budget.js';
import type { BalancesResult, PlaidFacade } from '../types.js';
import { ItemLocks } from '../webhooks/health.js';
import { getAccounts } from './accounts.js';
import { getAllBalances } from './all-balances.js';
import { getBalances } from './balances.js';
import { completeLink } from './complete-link.js';
import { evaluatePayment, PaymentCalls } from './evaluate-payment.js';
import { getItem } from './get-item.js';
import type { FacadeContext } from './internal/context.js';
import { exchangeOnce } from './internal/exchange-once.js';
import { RemovedItems } from './internal/removed-items.js';
import { SingleFlight } from './internal/single-flight.js';
import { UncertainExchanges } from './internal/uncertain-exchanges.js';
import { linkToken } from './link-token.js';
import { listItems } from './list-items.js';
import { removeItem } from './remove-item.js';
import { reportPaymentDecision } from './report-payment-decision.js';
import { reportReturn } from './report-return.js';
import { ensureUser } from './users.js';
import { facadeWebhooks } from './webhooks.js';

/**
 * Creates a facade over Plaid's link-token, exchange, balance and Item-removal calls, with
 * validated responses, typed errors, retry, rate limiting and a token store. Throws
 * `InvalidArgumentError` at once on bad options. The official client is loaded on first call.
 * `clientId`, `secret` and `environment` fall back to `PLAID_CLIENT_ID`, `PLAID_SECRET` and
 * `PLAID_ENV`.
 *
 * @example
 * ```ts
 * import { createPlaidFacade } from 'plaid-facade';
 *
 * const plaid = createPlaidFacade({ environment: 'sandbox' }); // credentials from PLAID_CLIENT_ID, PLAID_SECRET
 * const { linkToken } = await plaid.linkToken({ userId: 'user-1' });
 * // ... the user goes through Link, which hands your page a public token ...
 * const { itemId } = await plaid.exchange({ userId: 'user-1', publicToken });
 * const { accounts } = await plaid.getBalances({ userId: 'user-1', itemId });
 * ```
 */
export function createPlaidFacade(options?: PlaidFacadeOptions): PlaidFacade {
  const resolved = resolveOptions(options);
  // Every event's strings lose the secret, whatever stage sent it (run-call also redacts tokens).
  const emit = redactingEmitter(safeEmitter(resolved.onEvent), redactorOf([resolved.secret]));
  const limiter = createRateLimiter(resolved.rateLimit, resolved.environment, emit);
  // Read by every call (whileOpen) and by the pipeline (a clean-up after close() skips the limiter).
  const state = { closed: false };
  const context: FacadeContext = {
    options: resolved,
    store: resolved.tokenStore,
    pipeline: {
      limiter,
      budget: new RetryBudget(),
      emit,
      state,
      observability: observabilitySettings(resolved, emit),
    },
    client: officialClient(resolved.plaidApi, resolved),
    balances: {
      flights: new SingleFlight<BalancesResult>(structuredClone),
      cache: resolved.balanceCache,
      singleFlight: resolved.singleFlight,
      // The same fact twice: to onEvent, and to the diagnostics channel plaid-facade/otel counts.
      meter: (requestId) => {
        emit({ type: 'billed', endpoint: '/accounts/balance/get', requestId });
        publishBalanceBilled({ endpoint: '/accounts/balance/get', requestId });
      },
    },
    cleanups: new Set(),
    removed: new RemovedItems(),
    locks: new ItemLocks(),
  };
  const uncertain = new UncertainExchanges();
  const payments = new PaymentCalls();
  const webhooks = facadeWebhooks(context, uncertain);
  // One rule whatever the limits: after close(), no call is sent.
  const whileOpen =
    <Args extends unknown[], Result>(operation: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      if (state.closed) throw new FacadeClosedError();
      return operation(...args);
    };

  return {
    linkToken: whileOpen((input, call) => linkToken(context, input, call)),
    exchange: whileOpen((input, call) => exchangeOnce(context, uncertain, input, call)),
    completeLink: whileOpen((input, call) => completeLink(context, uncertain, input, call)),
    users: { ensure: whileOpen((input, call) => ensureUser(context, input, call)) },
    getBalances: whileOpen((input, call) => getBalances(context, input, call)),
    getAccounts: whileOpen((input, call) => getAccounts(context, input, call)),
    getAllBalances: whileOpen((input, call) => getAllBalances(context, input, call)),
    removeItem: whileOpen((input, call) => removeItem(context, input, call)),
    getItem: whileOpen((input, call) => getItem(context, input, call)),
    listItems: whileOpen((input) => listItems(context, input)),
    evaluatePayment: whileOpen((input, call) => evaluatePayment(context, payments, input, call)),
    reportPaymentDecision: whileOpen((input, call) => reportPaymentDecision(context, input, call)),
    reportReturn: whileOpen((input, call) => reportReturn(context, input, call)),
    // Verification needs no open facade for stored keys, but a key fetch does: keep one rule.
    webhooks: {
      verify: whileOpen(webhooks.verify),
      handle: whileOpen(webhooks.handle),
      prewarm: whileOpen(webhooks.prewarm),
    },
    close: async () => {
      state.closed = true;
      const limiterClosed = limiter.close();
      // An exchange Plaid carried out still owes a save, or a removal at Plaid (which passes the
      // closed limiter). That work is bounded on its own (store calls by tokenStoreTimeoutMs,
      // the removal at Plaid by its timeouts and retries); the cap keeps close() bounded whatever happens.
      await settledWithin([...context.cleanups], CLOSE_WAIT_MS);
      await limiterClosed;
    },
  };
}

async function settledWithin(work: Promise<unknown>[], ms: number): Promise<void> {
  if (work.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(work),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** What the pipeline's observation of calls needs; call events only when someone listens. */
function observabilitySettings(
  resolved: ResolvedOptions,
  emit: (event: PlaidFacadeEvent) => void,
): ObservabilitySettings {
  return { logger: resolved.logger, itemIds: resolved.itemIdsObserved, onEvent: resolved.onEvent ? emit : undefined };
}

function redactingEmitter(
  emit: (event: PlaidFacadeEvent) => void,
  redact: (text: string) => string,
): (event: PlaidFacadeEvent) => void {
  return (event) => {
    const copy: Record<string, unknown> = { ...event };
    for (const [key, value] of Object.entries(copy)) if (typeof value === 'string') copy[key] = redact(value);
    emit(copy as unknown as PlaidFacadeEvent);
  };
}
