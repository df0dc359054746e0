/**
 * The main entry: `createPlaidFacade`, the `PlaidFacade` interface, the error family and codes,
 * and the in-process token stores (`MemoryTokenStore`, `EncryptedTokenStore`).
 *
 * @example
 * ```ts
 * import { createPlaidFacade } from 'plaid-facade';
 * ```
 * @module plaid-facade
 */

export type {
  FacadeErrorCode,
  Issue,
  PlaidApiErrorFields,
  PlaidErrorCodeReason,
  PlaidFacadeErrorCode,
  PlaidFacadeErrorOptions,
  WebhookVerificationErrorCode,
} from './errors.js';
export {
  DuplicateItemError,
  ExchangeInProgressError,
  FacadeClosedError,
  InvalidArgumentError,
  ItemUnavailableError,
  isPlaidFacadeError,
  PaymentEvaluationExistsError,
  PlaidApiError,
  PlaidFacadeError,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidSchemaError,
  PlaidTimeoutError,
  RateLimiterError,
  SafeCause,
  TokenNotFoundError,
  TokenStoreError,
  UnexpectedError,
  WebhookVerificationError,
} from './errors.js';
export type {
  BalanceCacheFailedEvent,
  BilledEvent,
  CallEndEvent,
  CallStartEvent,
  ErrorEvent,
  ExchangeSettledEvent,
  PlaidEndpoint,
  PlaidFacadeEvent,
  RateLimitedEvent,
  RecordReconciledEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from './events.js';
export { createPlaidFacade } from './facade/create.js';
export type { Logger, LogMethod } from './observability/logger.js';
export { DEFAULT_ALL_BALANCES_CONCURRENCY } from './options/defaults.js';
export { sameInstitutionAndAccount } from './options/duplicate-item-rule.js';
export {
  type CallOptions,
  DEFAULT_BALANCE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  type DuplicateItemRule,
  type ExistingItem,
  type LimitSpec,
  type LinkCandidate,
  type ObservabilityOptions,
  type PlaidEnvironment,
  type PlaidFacadeOptions,
  type RateLimitOptions,
  type RateLimitRedisOptions,
  type RedisLike,
  type RetryOptions,
  type WebhookKeyCacheOptions,
  type WebhookKeyRedisClient,
  type WebhookKeyRedisOptions,
  type WebhooksOptions,
} from './options.js';
export type { Account, AccountBalances } from './schemas/accounts-balance-get.js';
export type { AccountSubtype, AccountType, CountryCode, PlaidErrorType, Product } from './schemas/enums.js';
export type { LinkSuccessMetadata } from './schemas/link-metadata.js';
export type {
  ItemAddResultWebhookBody,
  LinkEventsWebhookBody,
  LinkWebhookBody,
  SessionFinishedWebhookBody,
} from './schemas/link-webhooks.js';
export type { OpenEnum } from './schemas/open-enum.js';
export type { SignalEvaluation, SignalRuleResult } from './schemas/signal-evaluate.js';
export type {
  ItemErrorWebhookBody,
  ItemWebhook,
  ItemWebhookBody,
  LinkWebhook,
  LoginRepairedWebhookBody,
  NewAccountsAvailableWebhookBody,
  OtherWebhookBody,
  PendingDisconnectWebhookBody,
  PendingExpirationWebhookBody,
  PlaidWebhook,
  UserAccountRevokedWebhookBody,
  UserPermissionRevokedWebhookBody,
  VerifiedWebhookFields,
  WebhookError,
  WebhookUpdateAcknowledgedWebhookBody,
} from './schemas/webhooks.js';
export {
  type BalanceCache,
  type BalanceLease,
  type BalanceLeaseOptions,
  type CachedBalances,
  MemoryBalanceCache,
  type MemoryBalanceCacheOptions,
} from './stores/balance-cache.js';
export {
  type DecryptFailureCode,
  EncryptedTokenStore,
  type EncryptedTokenStoreOptions,
  type EncryptionKey,
  type ReencryptFailure,
  type ReencryptResult,
} from './stores/encrypted.js';
export { MAX_ID_LENGTH } from './stores/ids.js';
export { MemoryTokenStore } from './stores/memory.js';
export type {
  ItemAccount,
  ItemDetails,
  ItemHealth,
  ItemHealthStatus,
  ItemKey,
  LinkRecord,
  ListedRecords,
  StoredItem,
  TokenStore,
  UnreadableRecord,
} from './stores/token-store.js';
export type {
  AccountsInput,
  AccountsResult,
  AllBalancesInput,
  AllBalancesResult,
  BalancesInput,
  BalancesResult,
  CompletedLinkItem,
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
  ItemBalances,
  ItemConsent,
  LinkTokenInput,
  LinkTokenResult,
  ListedItem,
  ListItemsInput,
  PlaidFacade,
  PlaidUsers,
  PlaidWebhooks,
  PrewarmedWebhookKey,
  RemoveItemInput,
  RemoveItemReason,
  RemoveItemResult,
  ReportPaymentDecisionInput,
  ReportReturnInput,
  SignalReportResult,
  UpdatedLinkItem,
  WebhookCallOptions,
  WebhookHeaders,
  WebhookKeysPrewarmInput,
  WebhookRequest,
} from './types.js';
