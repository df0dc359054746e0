/**
 * The mock facade's types (`createMockFacade`, mock-facade.ts): what each method takes and gives,
 * an override, the calls recorded, the mock itself.
 */
import type { CallOptions } from '../options.js';
import type {
  AccountsInput,
  AccountsResult,
  AllBalancesInput,
  AllBalancesResult,
  BalancesInput,
  BalancesResult,
  CompleteLinkInput,
  CompleteLinkResult,
  EnsureUserInput,
  EnsureUserResult,
  EvaluatePaymentInput,
  EvaluatePaymentResult,
  ExchangeInput,
  ExchangeResult,
  GetItemInput,
  GetItemResult,
  HandledWebhook,
  LinkTokenInput,
  LinkTokenResult,
  ListedItem,
  ListItemsInput,
  PlaidFacade,
  RemoveItemInput,
  RemoveItemResult,
  ReportPaymentDecisionInput,
  ReportReturnInput,
  SignalReportResult,
  WebhookRequest,
} from '../types.js';
import type { PlaidWebhook } from '../webhooks/parse.js';

/** The facade's methods, by name. */
export type Method =
  | 'linkToken'
  | 'exchange'
  | 'getBalances'
  | 'getAccounts'
  | 'getAllBalances'
  | 'removeItem'
  | 'getItem'
  | 'listItems'
  | 'evaluatePayment'
  | 'reportPaymentDecision'
  | 'reportReturn'
  | 'completeLink'
  | 'ensureUser'
  | 'verifyWebhook'
  | 'handleWebhook';

/**
 * What each method takes and what an override may give back. A `getBalances` override may leave
 * `source` out (written before 0.2): the mock then answers `'live'`.
 */
export interface Signatures {
  linkToken: [LinkTokenInput, LinkTokenResult];
  exchange: [ExchangeInput, ExchangeResult];
  getBalances: [BalancesInput, Omit<BalancesResult, 'source'> & { source?: BalancesResult['source'] }];
  getAccounts: [AccountsInput, AccountsResult];
  getAllBalances: [AllBalancesInput, AllBalancesResult];
  removeItem: [RemoveItemInput, RemoveItemResult];
  getItem: [GetItemInput, GetItemResult];
  listItems: [ListItemsInput, ListedItem[]];
  evaluatePayment: [EvaluatePaymentInput, EvaluatePaymentResult];
  reportPaymentDecision: [ReportPaymentDecisionInput, SignalReportResult];
  reportReturn: [ReportReturnInput, SignalReportResult];
  completeLink: [CompleteLinkInput, CompleteLinkResult];
  /** `users.ensure` */
  ensureUser: [EnsureUserInput, EnsureUserResult];
  /** `webhooks.verify` */
  verifyWebhook: [WebhookRequest, PlaidWebhook];
  /** `webhooks.handle` */
  handleWebhook: [WebhookRequest, HandledWebhook];
}

/** A replacement for one method: may return the result, a promise of it, or throw. */
export type MockImplementation<M extends Method> = (
  input: Signatures[M][0],
  options: CallOptions | undefined,
) => Signatures[M][1] | Promise<Signatures[M][1]>;

/** Replacements for any of the facade's methods. */
export type MockFacadeOverrides = { [M in Method]?: MockImplementation<M> };

/** The calls a mock received, per method: `[input, options]`, oldest first. */
export type MockFacadeCalls = { [M in Method]: Array<[Signatures[M][0], CallOptions | undefined]> };

/** A `PlaidFacade` for unit tests of code that uses one. Tied to no test framework. */
export interface MockFacade extends PlaidFacade {
  /** Every call received, per method. */
  readonly calls: MockFacadeCalls;
  /** How many times `close()` was called. */
  readonly closeCount: number;
  /** Replaces methods from now on (others keep their current behaviour). */
  use(overrides: MockFacadeOverrides): void;
  /** Forgets the calls and the overrides given to `use` (those given at creation stay). */
  reset(): void;
}
