import type { HttpHandler } from 'msw';
import { FakePlaidCore } from './core.js';
import { type FakePlaidServer, type ListenOptions, listen } from './http-server.js';
import { type FakeLinkSuccess, linkMetadata } from './link-metadata.js';
import {
  type FakeLinkSession,
  type FinishLinkSessionOptions,
  finishLinkSession,
  startLinkSession,
} from './link-sessions.js';
import { mswHandlers } from './msw-handlers.js';
import type {
  CreatePublicTokenOptions,
  FailNextOptions,
  FakeCall,
  FakeFault,
  FakeItem,
  FakePlaidEndpoint,
  FakePlaidOptions,
  FakeRateLimit,
  FakeSignalDuplicateMode,
  FakeSignalEvaluation,
  FakeSignalOutcome,
  WireBalance,
} from './types.js';
import { buildWebhook, type FakeWebhook, type FakeWebhookOptions } from './webhooks.js';

/** A stateful in-memory stand-in for Plaid's sandbox. See `createFakePlaid`. */
export interface FakePlaid {
  /**
   * msw 2 handlers for the fake's endpoints under any base URL: `setupServer(...fake.handlers)`.
   * msw is loaded on first access (it is an optional peer dependency).
   */
  readonly handlers: HttpHandler[];
  /** Serves the fake on `http://127.0.0.1:<port>`; no msw needed. */
  listen(options?: ListenOptions): Promise<FakePlaidServer>;
  /** Plays the part of Link: creates an Item with accounts and returns its public token. */
  createPublicToken(options?: CreatePublicTokenOptions): string;
  /**
   * Plays the part of Link up to `onSuccess`: creates an Item like `createPublicToken` and returns
   * its public token with Link's `onSuccess` metadata (institution, accounts with name and mask).
   * Two links to the same institution with the same account seeds look like a duplicate Item, as
   * they would at Plaid (new Item and account ids, same names and masks).
   */
  completeLink(options?: CreatePublicTokenOptions): FakeLinkSuccess;
  /**
   * Plays a Link session of a link token made by `/link/token/create` to its end: the user links
   * `items` Items (default 1; several in Multi-Item Link) or, with `exit`, leaves with none. Returns
   * what `onSuccess` would get and the signed LINK webhooks (`ITEM_ADD_RESULT`, `SESSION_FINISHED`,
   * `EVENTS`); `/link/token/get` reports the session (unless `reported: false`).
   */
  finishLinkSession(linkToken: string, options?: FinishLinkSessionOptions): FakeLinkSession;
  /** Opens a Link session that has not finished (`/link/token/get` shows it without `finished_at`). Returns its id. */
  startLinkSession(linkToken: string, options?: { reported?: boolean }): string;
  /** Changes an account's balance (members left out keep their value). Throws for an unknown account. */
  setBalance(accountId: string, balance: Partial<WireBalance>): void;
  /** Every Item created so far, as snapshots. */
  readonly items: FakeItem[];
  /** The Item with that id; throws when there is none. */
  item(itemId: string): FakeItem;
  /** The next `times` calls (default 1) to `endpoint` (or `'*'` for every endpoint) get `fault`. */
  failNext(endpoint: FakePlaidEndpoint | '*', fault: FakeFault, options?: FailNextOptions): void;
  /** Answers 429 `RATE_LIMIT_EXCEEDED` past `limit` calls per window; `undefined` lifts it. */
  setRateLimit(endpoint: FakePlaidEndpoint, limit: FakeRateLimit | undefined): void;
  /**
   * How many calls Plaid would have billed: successful `/accounts/balance/get` reads carried out
   * (also when the answer was then lost). `/accounts/get` and the other calls are free.
   */
  readonly billedCalls: number;
  /** Every request received, oldest first. Never holds the secret. */
  readonly calls: readonly FakeCall[];
  /** The calls to one endpoint. */
  callsTo(endpoint: FakePlaidEndpoint): FakeCall[];
  /** Forgets Items, tokens, queued faults, rate limits and calls. */
  reset(): void;
  /**
   * A webhook as Plaid would send it: the body (pretty-printed JSON with `webhook_type`,
   * `webhook_code`, `environment: 'sandbox'`, the fields a real one of that ITEM code carries, then
   * `fields`) and headers with a `Plaid-Verification` JWT signed by the fake's key, which the fake
   * serves at `/webhook_verification_key/get`. `options.key: 'expired' | 'wrong'` signs with an
   * expired key or an impostor's key under the same `kid`; `options.signedAt` sets `iat`.
   * `.post(url)` delivers it.
   *
   * @example
   * const hook = fake.webhook('ITEM', 'ERROR', { item_id: itemId });
   * await plaid.webhooks.handle(hook); // or: await hook.post('http://127.0.0.1:3000/plaid/webhook')
   */
  webhook(type: string, code: string, fields?: Record<string, unknown>, options?: FakeWebhookOptions): FakeWebhook;
  /** The `kid` the fake signs webhooks with now. */
  readonly webhookKeyId: string;
  /** Signs with a new key (a new `kid`) from now on; the old one is still served. Returns the new `kid`. */
  rotateWebhookKey(): string;
  /** Puts an Item into an error state (`'ITEM_LOGIN_REQUIRED'`, ...) or, with `null`, out of it. */
  setItemError(itemId: string, errorCode: string | null): void;
  /** Webhooks POSTed by `/sandbox/item/fire_webhook` so far (`status` undefined: not delivered). */
  readonly deliveries: ReadonlyArray<{
    /** Where it was POSTed. */
    url: string;
    /** The signed body sent. */
    body: string;
    /** The receiver's HTTP status; undefined when it could not be delivered. */
    status: number | undefined;
  }>;
  /** Waits until every webhook fired so far has been delivered (or failed to be). */
  flushWebhooks(): Promise<void>;
  /**
   * The ruleset outcome of an Item's `/signal/evaluate` calls from now on (result, scores or null,
   * warnings, the older answer shape...). A list is used in order, its last entry then stays.
   */
  setSignalOutcome(itemId: string, outcome: FakeSignalOutcome | FakeSignalOutcome[]): void;
  /**
   * What a repeated `client_transaction_id` gets: `'replay'` (default: the first evaluation, when
   * the request is the same) or `'error'` (`CLIENT_TRANSACTION_ID_ALREADY_IN_USE`). Plaid's
   * behaviour is not settled in its documents: test both.
   */
  setSignalDuplicateMode(mode: FakeSignalDuplicateMode): void;
  /** Every evaluation `/signal/evaluate` carried out (one per `client_transaction_id`), oldest first. */
  readonly signalEvaluations: FakeSignalEvaluation[];
}

/**
 * Creates a fake Plaid speaking Plaid's wire format (snake_case JSON over POST, Plaid's error
 * bodies and HTTP statuses) for `/link/token/create`, `/item/public_token/exchange`,
 * `/accounts/balance/get`, `/accounts/get`, `/item/remove`, `/item/get`, `/webhook_verification_key/get`,
 * `/sandbox/public_token/create`, `/sandbox/item/fire_webhook`, `/sandbox/item/reset_login`,
 * `/signal/evaluate`, `/signal/decision/report` and `/signal/return/report`,
 * and signs webhooks as Plaid does (`fake.webhook(...)`). It imports neither
 * the `plaid` package nor, until `handlers` is read, msw.
 *
 * @example
 * const fake = createFakePlaid();
 * const server = await fake.listen();
 * const plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url });
 * const { itemId } = await plaid.exchange({ userId: 'u1', publicToken: fake.createPublicToken() });
 */
export function createFakePlaid(options: FakePlaidOptions = {}): FakePlaid {
  const core = new FakePlaidCore(options);
  let cachedHandlers: HttpHandler[] | undefined;
  return {
    get handlers() {
      cachedHandlers ??= mswHandlers(core);
      return cachedHandlers;
    },
    listen: (listenOptions) => listen(core, listenOptions),
    createPublicToken: (tokenOptions) => core.state.createPublicToken(tokenOptions),
    completeLink(tokenOptions) {
      const publicToken = core.state.createPublicToken(tokenOptions);
      const item = core.state.itemForPublicToken(publicToken);
      if (!item) throw new Error('completeLink: the Item just created is missing');
      return { publicToken, metadata: linkMetadata(item) };
    },
    finishLinkSession: (linkToken, sessionOptions) => finishLinkSession(core.state, linkToken, sessionOptions),
    startLinkSession: (linkToken, sessionOptions) => startLinkSession(core.state, linkToken, sessionOptions?.reported),
    setBalance(accountId, balance) {
      if (!core.state.setBalance(accountId, balance)) throw new Error(`setBalance: no Item has account ${accountId}`);
    },
    get items() {
      return core.state.listItems();
    },
    item(itemId) {
      const found = core.state.listItems().find((item) => item.itemId === itemId);
      if (!found) throw new Error(`The fake Plaid has no Item ${itemId}`);
      return found;
    },
    failNext: (endpoint, fault, failOptions) => core.faults.add(endpoint, fault, failOptions?.times ?? 1),
    setRateLimit: (endpoint, limit) => core.rateLimits.set(endpoint, limit),
    get billedCalls() {
      return core.billedCalls;
    },
    get calls() {
      return core.calls;
    },
    callsTo: (endpoint) => core.calls.filter((call) => call.endpoint === endpoint),
    reset: () => core.reset(),
    webhook: (type, code, fields, webhookOptions) =>
      buildWebhook(core.state.webhookKeys, core.state.now(), type, code, fields, webhookOptions),
    get webhookKeyId() {
      return core.state.webhookKeys.currentKeyId;
    },
    rotateWebhookKey: () => core.state.webhookKeys.rotate(),
    setItemError(itemId, errorCode) {
      if (!core.state.listItems().some((item) => item.itemId === itemId)) {
        throw new Error(`setItemError: the fake Plaid has no Item ${itemId}`);
      }
      if (errorCode === null) core.state.itemErrors.delete(itemId);
      else core.state.itemErrors.set(itemId, errorCode);
    },
    get deliveries() {
      return [...core.state.deliveries];
    },
    setSignalOutcome(itemId, outcome) {
      if (!core.state.listItems().some((item) => item.itemId === itemId)) {
        throw new Error(`setSignalOutcome: the fake Plaid has no Item ${itemId}`);
      }
      core.state.signal.setOutcome(itemId, outcome);
    },
    setSignalDuplicateMode(mode) {
      core.state.signal.duplicateMode = mode;
    },
    get signalEvaluations() {
      return core.state.signal.list();
    },
    async flushWebhooks() {
      while (core.state.pendingDeliveries.size > 0) await Promise.allSettled([...core.state.pendingDeliveries]);
    },
  };
}
