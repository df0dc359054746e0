export { createPlaidFacade, DEFAULT_BALANCE_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from './facade.js';
export type {
  BalancesInput,
  BalancesResult,
  CallOptions,
  ExchangeInput,
  ExchangeResult,
  LinkTokenInput,
  LinkTokenResult,
  PlaidEnvironment,
  PlaidFacade,
  PlaidFacadeOptions,
  RemoveItemInput,
  RemoveItemResult,
} from './types.js';
export {
  InvalidArgumentError,
  isPlaidFacadeError,
  PlaidApiError,
  PlaidFacadeError,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidSchemaError,
  PlaidTimeoutError,
  SafeCause,
  TokenNotFoundError,
  TokenStoreError,
} from './errors.js';
export type { Issue, PlaidApiErrorFields } from './errors.js';
export type {
  ErrorEvent,
  PlaidEndpoint,
  PlaidFacadeEvent,
  RateLimitedEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from './events.js';
export type { RetryOptions } from './pipeline/retry-options.js';
export type { LimitSpec, RateLimitOptions, RedisLike } from './pipeline/rate-limit-options.js';
export type { Account, AccountBalances } from './schemas/accounts-balance-get.js';
export type { AccountSubtype, AccountType, CountryCode, PlaidErrorType, Product } from './schemas/enums.js';
export type { OpenEnum } from './schemas/open-enum.js';
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
} from './stores/encrypted.js';
