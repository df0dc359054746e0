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
export { createPlaidFacade } from './facade/create.js';
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
} from './options.js';
export { DEFAULT_ALL_BALANCES_CONCURRENCY } from './facade/all-balances.js';
export { sameInstitutionAndAccount } from './facade/duplicate-item.js';
export type {
  AccountsInput,
  AccountsResult,
  AllBalancesInput,
  AllBalancesResult,
  BalancesInput,
  BalancesResult,
  ItemBalances,
  ExchangeInput,
  ExchangeResult,
  GetItemInput,
  GetItemResult,
  LinkTokenInput,
  LinkTokenResult,
  ListedItem,
  ListItemsInput,
  HandledWebhook,
  PlaidWebhooks,
  WebhookHeaders,
  WebhookRequest,
  PlaidFacade,
  RemoveItemInput,
  RemoveItemResult,
} from './types.js';
export {
  DuplicateItemError,
  FacadeClosedError,
  InvalidArgumentError,
  isPlaidFacadeError,
  ItemUnavailableError,
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
  WebhookVerificationError,
} from './errors.js';
export type {
  FacadeErrorCode,
  Issue,
  PlaidApiErrorFields,
  PlaidFacadeErrorCode,
  PlaidFacadeErrorOptions,
  WebhookVerificationErrorCode,
} from './errors.js';
export type {
  BilledEvent,
  CallEndEvent,
  CallStartEvent,
  ErrorEvent,
  ExchangeSettledEvent,
  PlaidEndpoint,
  PlaidFacadeEvent,
  RateLimitedEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from './events.js';
export type { Logger, LogMethod } from './observability/logger.js';
export type { Account, AccountBalances } from './schemas/accounts-balance-get.js';
export type { AccountSubtype, AccountType, CountryCode, PlaidErrorType, Product } from './schemas/enums.js';
export type { LinkSuccessMetadata } from './schemas/link-metadata.js';
export type { OpenEnum } from './schemas/open-enum.js';
export {
  type BalanceCache,
  type CachedBalances,
  MemoryBalanceCache,
  type MemoryBalanceCacheOptions,
} from './stores/balance-cache.js';
export { MAX_ID_LENGTH } from './stores/ids.js';
export { MemoryTokenStore } from './stores/memory.js';
export type {
  ItemAccount,
  ItemHealth,
  ItemHealthStatus,
  ItemKey,
  StoredItem,
  TokenStore,
} from './stores/token-store.js';
export {
  EncryptedTokenStore,
  type DecryptFailureCode,
  type EncryptedTokenStoreOptions,
  type EncryptionKey,
  type ReencryptFailure,
  type ReencryptResult,
} from './stores/encrypted.js';
export type { WebhookError } from './schemas/webhooks.js';
export type {
  ItemErrorWebhookBody,
  ItemWebhook,
  ItemWebhookBody,
  LoginRepairedWebhookBody,
  NewAccountsAvailableWebhookBody,
  PendingDisconnectWebhookBody,
  PendingExpirationWebhookBody,
  UserAccountRevokedWebhookBody,
  UserPermissionRevokedWebhookBody,
  WebhookUpdateAcknowledgedWebhookBody,
  OtherWebhookBody,
  PlaidWebhook,
  VerifiedWebhookFields,
} from './schemas/webhooks.js';
