/**
 * The error classes of plaid-facade, and the codes the library itself raises. Every error the
 * library throws is a `PlaidFacadeError`.
 *
 * They are built from plain fields only: no error keeps a reference to the official client's
 * AxiosError, its request config or its raw request, which hold the client secret and the access
 * token. `cause`, where present, is a fresh `Error` carrying only a name, a message and a code.
 *
 * The classes live in `src/errors/` (the base and redaction, Plaid's answers, the facade's own
 * failures, the codes); this module is the family's one import path.
 */

export {
  type Issue,
  isPlaidFacadeError,
  outcomeUnknownAdvice,
  PlaidFacadeError,
  type PlaidFacadeErrorOptions,
  redactorOf,
  redactSecrets,
  SafeCause,
} from './errors/base.js';
export type { FacadeErrorCode, PlaidFacadeErrorCode, WebhookVerificationErrorCode } from './errors/codes.js';
export {
  DuplicateItemError,
  FacadeClosedError,
  InvalidArgumentError,
  ItemUnavailableError,
  RateLimiterError,
  TokenNotFoundError,
  TokenStoreError,
  UnexpectedError,
  WebhookVerificationError,
} from './errors/facade.js';
export { ExchangeInProgressError } from './errors/linking.js';
export { PaymentEvaluationExistsError } from './errors/payment.js';
export {
  MAX_SCHEMA_ISSUES,
  PlaidApiError,
  type PlaidApiErrorFields,
  type PlaidErrorCodeReason,
  PlaidNetworkError,
  PlaidRateLimitError,
  PlaidSchemaError,
  PlaidTimeoutError,
  plaidErrorMessage,
} from './errors/plaid.js';
