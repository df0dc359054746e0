/**
 * The facade's operations: their inputs and results, and the `PlaidFacade` interface that
 * `createPlaidFacade` returns and `createMockFacade` implements. Options are in options.ts.
 * The inputs and results are in types/, one file per concern, and re-exported from here.
 */
import type { CallOptions } from './options.js';
import type {
  AccountsInput,
  AccountsResult,
  AllBalancesInput,
  AllBalancesResult,
  BalancesInput,
  BalancesResult,
} from './types/balances.js';
import type { ExchangeInput, ExchangeResult } from './types/exchange.js';
import type {
  GetItemInput,
  GetItemResult,
  ListedItem,
  ListItemsInput,
  RemoveItemInput,
  RemoveItemResult,
} from './types/items.js';
import type {
  CompleteLinkInput,
  CompleteLinkResult,
  LinkTokenInput,
  LinkTokenResult,
  PlaidUsers,
} from './types/linking.js';
import type {
  EvaluatePaymentInput,
  EvaluatePaymentResult,
  ReportPaymentDecisionInput,
  ReportReturnInput,
  SignalReportResult,
} from './types/payments.js';
import type { PlaidWebhooks } from './types/webhooks.js';

// The operations' types live by concern in types/; re-exported here, where the public entries take them.
export type {
  AccountsInput,
  AccountsResult,
  AllBalancesInput,
  AllBalancesResult,
  BalancesInput,
  BalancesResult,
  ItemBalances,
} from './types/balances.js';
export type { ExchangeInput, ExchangeResult } from './types/exchange.js';
export type {
  GetItemInput,
  GetItemResult,
  ItemConsent,
  ListedItem,
  ListItemsInput,
  RemoveItemInput,
  RemoveItemReason,
  RemoveItemResult,
} from './types/items.js';
export type {
  CompletedLinkItem,
  CompleteLinkInput,
  CompleteLinkResult,
  EnsureUserInput,
  EnsureUserResult,
  LinkTokenInput,
  LinkTokenResult,
  PlaidUsers,
  UpdatedLinkItem,
} from './types/linking.js';
export type {
  EvaluatePaymentInput,
  EvaluatePaymentResult,
  ReportPaymentDecisionInput,
  ReportReturnInput,
  SignalReportResult,
} from './types/payments.js';
export type {
  HandledWebhook,
  PlaidWebhooks,
  PrewarmedWebhookKey,
  WebhookCallOptions,
  WebhookHeaders,
  WebhookKeysPrewarmInput,
  WebhookRequest,
} from './types/webhooks.js';

/** The facade: what `createPlaidFacade` returns and `createMockFacade` imitates. */
export interface PlaidFacade {
  /** Creates a Link token (`/link/token/create`); with `itemId`, one for update mode. */
  linkToken(input: LinkTokenInput, options?: CallOptions): Promise<LinkTokenResult>;
  /**
   * Exchanges a public token (`/item/public_token/exchange`) and stores the access token; exactly
   * once per public token, across processes sharing the token store.
   */
  exchange(input: ExchangeInput, options?: CallOptions): Promise<ExchangeResult>;
  /**
   * Completes a Link session on the server (`/link/token/get`): exchanges, once each, every Item
   * the session added that is not exchanged yet, with its institution and accounts.
   */
  completeLink(input: CompleteLinkInput, options?: CallOptions): Promise<CompleteLinkResult>;
  /** Plaid's user model (`/user/create`). */
  readonly users: PlaidUsers;
  /**
   * Reads real-time balances (`/accounts/balance/get`, billed per call). Identical reads under way
   * share one call; with `maxAgeMs`, a recent read is served again.
   */
  getBalances(input: BalancesInput, options?: CallOptions): Promise<BalancesResult>;
  /** Reads the accounts with Plaid's cached balances (`/accounts/get`): free, not live. */
  getAccounts(input: AccountsInput, options?: CallOptions): Promise<AccountsResult>;
  /**
   * Reads the balances of every Item of a user, one result per Item (never a rejection for one bad
   * Item); `options.signal` bounds the whole read.
   */
  getAllBalances(input: AllBalancesInput, options?: CallOptions): Promise<AllBalancesResult>;
  /**
   * Ends the Item at Plaid (`/item/products/terminate` with `reason`, default `USER_OFFBOARDING`;
   * `/item/remove` where terminate is not available to the client), then deletes its access token
   * from the store.
   */
  removeItem(input: RemoveItemInput, options?: CallOptions): Promise<RemoveItemResult>;
  /** Reads the Item at Plaid (`/item/get`, free) and refreshes its stored health. */
  getItem(input: GetItemInput, options?: CallOptions): Promise<GetItemResult>;
  /** The user's Items with their health and accounts, from the store only (no Plaid call, no token). */
  listItems(input: ListItemsInput): Promise<ListedItem[]>;
  /** Verifies Plaid's webhooks (`verify`) and records their effect on Item health (`handle`). */
  readonly webhooks: PlaidWebhooks;
  /**
   * Evaluates an ACH debit's risk with the Item's Signal ruleset (`/signal/evaluate`): what Plaid
   * recommends instead of reading balances for payment decisions. Safe to retry: `paymentId` is
   * the idempotency key. See docs/payments.md.
   */
  evaluatePayment(input: EvaluatePaymentInput, options?: CallOptions): Promise<EvaluatePaymentResult>;
  /** Tells Plaid what you did with an evaluated payment (`/signal/decision/report`), so rules learn. */
  reportPaymentDecision(input: ReportPaymentDecisionInput, options?: CallOptions): Promise<SignalReportResult>;
  /** Tells Plaid an evaluated payment was returned (`/signal/return/report`), so rules learn. */
  reportReturn(input: ReportReturnInput, options?: CallOptions): Promise<SignalReportResult>;
  /**
   * Rejects the calls still waiting for the rate limiter and releases what the facade holds open.
   * With limits shared through Redis, the connections close in the background once the slots of
   * calls already started reach the end of their windows (at most one window), so that other
   * processes get those slots back on time.
   */
  close(): Promise<void>;
}
