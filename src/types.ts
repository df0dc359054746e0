/**
 * The facade's operations: their inputs and results, and the `PlaidFacade` interface that
 * `createPlaidFacade` returns and `createMockFacade` implements. Options are in options.ts.
 */
import type { PlaidFacadeError, TokenStoreError } from './errors.js';
import type { CallOptions } from './options.js';
import type { Account } from './schemas/accounts-balance-get.js';
import type { CountryCode, Product } from './schemas/enums.js';
import type { LinkSuccessMetadata } from './schemas/link-metadata.js';
import type { OpenEnum } from './schemas/open-enum.js';
import type { SignalEvaluation } from './schemas/signal-evaluate.js';
import type { PlaidWebhook } from './schemas/webhooks.js';
import type { ItemAccount, ItemHealth } from './stores/token-store.js';

/** Input of `linkToken`. */
export interface LinkTokenInput {
  /** Your application's id for the user (sent as `user.client_user_id`). */
  userId: string;
  /** Products to initialise Link with. Default `['auth']`; `balance` needs none of its own. */
  products?: Product[] | undefined;
  /** Countries whose institutions Link lists. Default `['US']`. */
  countryCodes?: CountryCode[] | undefined;
  /** Language of Link. Default `'en'`. */
  language?: string | undefined;
  /** Your app's name, as Link shows it. Default: the facade's `clientName`. */
  clientName?: string | undefined;
  /** Where Plaid sends this Item's webhooks. */
  webhook?: string | undefined;
  /** OAuth redirect URI, registered in the Plaid dashboard. */
  redirectUri?: string | undefined;
  /** Update mode: the Item to repair. Its access token is read from the token store. */
  itemId?: string | undefined;
  /**
   * Update mode only: `{ accountSelectionEnabled: true }` lets the user pick accounts again, e.g.
   * after a `NEW_ACCOUNTS_AVAILABLE` webhook (sent as `update.account_selection_enabled`).
   */
  update?:
    | {
        /** Let the user choose which accounts the Item shares (`update.account_selection_enabled`). */
        accountSelectionEnabled?: boolean | undefined;
      }
    | undefined;
  /**
   * Multi-Item Link: the user may link several Items in one session (`enable_multi_item_link`).
   * Plaid then hands the public tokens over only on the server (LINK webhooks, `completeLink`):
   * "In a Multi-Item Link session, the onSuccess callback will be empty." The facade sends Plaid's
   * `user_id` for the user (from `users.ensure`, which it calls first when the store has none).
   */
  multiItem?: boolean | undefined;
  /**
   * Hosted Link: Plaid hosts the Link page; the result gains `hostedLinkUrl`. `true`, or
   * `{ completionRedirectUri }`: where Plaid sends the user when the session ends.
   */
  hostedLink?:
    | true
    | {
        /** Where Plaid redirects the user at the end of the session (`hosted_link.completion_redirect_uri`). */
        completionRedirectUri?: string | undefined;
      }
    | undefined;
}

/** Result of `linkToken`. */
export interface LinkTokenResult {
  /** The token to open Link with. */
  linkToken: string;
  /** When the link token expires. */
  expiration: Date;
  /** Plaid's request id. */
  requestId: string;
  /** With `hostedLink`: the URL of Plaid's hosted Link page for this token. */
  hostedLinkUrl?: string | undefined;
}

/** Input of `completeLink`. */
export interface CompleteLinkInput {
  /** A link token this facade (or another sharing its token store) created with `linkToken`. */
  linkToken: string;
}

/** One Item of a completed Link session. */
export interface CompletedLinkItem {
  /** Plaid's id of the Item (for a duplicate of an Item the user has, that existing Item's id). */
  itemId: string;
  /** The institution, when Plaid named it. */
  institutionId: string | null;
  /** True when this call exchanged it; false when another delivery (browser, webhook, an earlier call) had. */
  newlyExchanged: boolean;
}

/** Result of `completeLink`. */
export interface CompleteLinkResult {
  /** The user the link token was created for. */
  userId: string;
  /**
   * - `completed`: the session added Items; each is exchanged (once) and stored.
   * - `exited`: the session ended without an Item; nothing was exchanged.
   * - `pending`: the session has not finished (or not started): ask again later.
   * - `unavailable`: Plaid returned no session for the token: embedded Link sessions are reported
   *   only when Link events are enabled for the account, and results are kept six hours after a
   *   session ends (see docs/linking-flow.md). The browser's `onSuccess` or a LINK webhook still works.
   */
  status: 'completed' | 'exited' | 'pending' | 'unavailable';
  /** The Items the session added. */
  items: CompletedLinkItem[];
}

/** Input of `users.ensure`. */
export interface EnsureUserInput {
  /** Your application's id for the user (Plaid's `client_user_id`). */
  userId: string;
}

/** Result of `users.ensure`. */
export interface EnsureUserResult {
  /** Your id for the user, as given. */
  userId: string;
  /** Plaid's `user_id` for the user, kept in the token store. */
  plaidUserId: string;
  /** True when this call created the user at Plaid (HTTP 201) or first learnt its id; false when the store knew it. */
  created: boolean;
}

/** Plaid's user model: `plaid.users`. */
export interface PlaidUsers {
  /**
   * Makes sure Plaid has a user for `userId` (`/user/create`: 201 new, 200 existing) and keeps
   * Plaid's `user_id` with the user in the token store. Idempotent: once known, no call is made.
   */
  ensure(input: EnsureUserInput, options?: CallOptions): Promise<EnsureUserResult>;
}

/** Input of `exchange`. */
export interface ExchangeInput {
  /** Your application's id for the user who went through Link. */
  userId: string;
  /** The public token Link handed back. Single use; lives 30 minutes. */
  publicToken: string;
  /**
   * Link's `onSuccess` metadata, as the browser received it (`institution`, `accounts` with `id`,
   * `name`, `mask`, `type`, `subtype`). Given, it is stored with the Item and checked for a
   * duplicate Item before the exchange; left out, the facade asks the free `/accounts/get` instead.
   */
  metadata?: LinkSuccessMetadata | undefined;
}

/** Result of `exchange`: the access token went to the token store, not to the caller. */
export interface ExchangeResult {
  /** The user, as given. */
  userId: string;
  /** Plaid's id of the new Item. */
  itemId: string;
  /**
   * Plaid's request id (of the exchange that made the Item; `''` when this caller did not send it,
   * see `newlyExchanged`).
   */
  requestId: string;
  /**
   * True for the one caller whose `/item/public_token/exchange` made the Item; false for every
   * other delivery of the same public token (the browser, a LINK webhook, `completeLink`, in any
   * process sharing the token store), which gets the same Item without a second exchange.
   */
  newlyExchanged: boolean;
}

/** Input of `getBalances`. */
export interface BalancesInput {
  /** Your application's id for the user, as given to `exchange`. */
  userId: string;
  /** The Item to read, as `exchange` returned it. */
  itemId: string;
  /** Only these accounts. Default: every account of the Item. */
  accountIds?: string[] | undefined;
  /** The oldest balance acceptable; some institutions (e.g. Capital One) need it. */
  minLastUpdated?: Date | undefined;
  /**
   * How old, in milliseconds, a read may be to be served again instead of calling Plaid (which
   * bills every live read). Default 0: always live. A read served again says `source: 'cache'`
   * and keeps its real `fetchedAt`; a failure is never served again.
   */
  maxAgeMs?: number | undefined;
}

/** Result of `getBalances`. */
export interface BalancesResult {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** Plaid's request id. */
  requestId: string;
  /** When plaid-facade received Plaid's answer. */
  fetchedAt: Date;
  /** The Item's accounts (or those of `accountIds`), each with its real-time balance. */
  accounts: Account[];
  /**
   * `'live'`: read from the bank by this call or by an identical one it shared; `'cache'`: a read
   * of at most `maxAgeMs` ago, served again (its `fetchedAt` says when it was live).
   */
  source: 'live' | 'cache';
}

/** Input of `getAccounts`. */
export interface AccountsInput {
  /** Your application's id for the user, as given to `exchange`. */
  userId: string;
  /** The Item to read. */
  itemId: string;
  /** Only these accounts. Default: every account of the Item. */
  accountIds?: string[] | undefined;
}

/** Result of `getAccounts`: the shape of `getBalances`' result, with the balances Plaid last cached. */
export interface AccountsResult extends Omit<BalancesResult, 'source'> {
  /** Always `'plaid-cache'`: Plaid's cached balances, not a live read. */
  source: 'plaid-cache';
}

/** Input of `getAllBalances`. */
export interface AllBalancesInput {
  /** Your application's id for the user: every Item the store lists for it is read. */
  userId: string;
  /** As for `getBalances`, for every Item. Default 0: always live. */
  maxAgeMs?: number | undefined;
  /** At most this many attempts with Plaid at once for this read (1 to 100). Default 4. */
  concurrency?: number | undefined;
}

/** One Item's outcome in `getAllBalances`. */
export type ItemBalances =
  | {
      /** The Item. */
      itemId: string;
      /** The Item was read. */
      ok: true;
      /** Plaid's request id of the read. */
      requestId: string;
      /** When plaid-facade received Plaid's answer (for a cached read, the original one). */
      fetchedAt: Date;
      /** `'live'`: read from the bank now; `'cache'`: served again within `maxAgeMs`. */
      source: 'live' | 'cache';
      /** The Item's accounts, each with its balance. */
      accounts: Account[];
    }
  | {
      /** The Item. */
      itemId: string;
      /** The Item could not be read. */
      ok: false;
      /** Why this Item has no balances: any plaid-facade error, e.g. `ItemUnavailableError`. */
      error: PlaidFacadeError;
    };

/** Result of `getAllBalances`. */
export interface AllBalancesResult {
  /** The user, as given. */
  userId: string;
  /** True when at least one Item failed (its entry in `items` says why). */
  partial: boolean;
  /** Every account of every Item that answered, each with the `itemId` it belongs to. */
  accounts: Array<
    Account & {
      /** The Item the account belongs to. */
      itemId: string;
    }
  >;
  /** One entry per Item of the user, in the store's order. */
  items: ItemBalances[];
}

/** Plaid's `ProductsTerminateReasonCode`: why an Item is removed (`removeItem`'s `reason`). */
export type RemoveItemReason =
  | 'FRAUD_FIRST_PARTY'
  | 'FRAUD_FALSE_IDENTITY'
  | 'FRAUD_ABUSE'
  | 'FRAUD_OTHER'
  | 'CONSUMER_LOAN_PAID_OFF'
  | 'CONSUMER_ACCOUNT_CLOSED'
  | 'CONSUMER_CHARGE_OFF'
  | 'CONSUMER_PAYMENT_METHOD_SWITCHED'
  | 'USER_OFFBOARDING'
  | 'DUPLICATE_ITEM'
  | 'BILLING_TERMINATION'
  | 'OTHER';

/** Input of `removeItem`. */
export interface RemoveItemInput {
  /** Your application's id for the user. */
  userId: string;
  /** The Item to remove. */
  itemId: string;
  /**
   * Why, as Plaid's `reason_code` of `/item/products/terminate`. Default `'USER_OFFBOARDING'`.
   * Where the facade falls back to `/item/remove`, a reason that endpoint does not know is left out.
   */
  reason?: RemoveItemReason | undefined;
  /**
   * What to do when the stored record can never be read again (it cannot be decrypted, e.g. its
   * key was dropped from `EncryptedTokenStore`'s list, or it is malformed): `'fail'` (default)
   * throws the `TokenStoreError`; `'delete'` deletes the record without calling Plaid (there is no
   * token to call it with) and resolves with `requestId: ''`. The Item then stays at Plaid:
   * remove it from the Plaid Dashboard.
   */
  unreadable?: 'fail' | 'delete' | undefined;
}

/** Result of `removeItem`. */
export interface RemoveItemResult {
  /** The user, as given. */
  userId: string;
  /** The Item removed. */
  itemId: string;
  /** Plaid's request id; when the Item was already gone at Plaid, that of Plaid's answer saying so (`''` if it had none). */
  requestId: string;
}

/** Input of `getItem`. */
export interface GetItemInput {
  /** Your application's id for the user. */
  userId: string;
  /** The Item to read. */
  itemId: string;
}

/** Result of `getItem`. */
export interface GetItemResult {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** Plaid's id of the Item's institution, or null when Plaid has none. */
  institutionId: string | null;
  /** The institution's name (`institution_name`), or null when Plaid gave none. */
  institutionName: string | null;
  /** When the Item was created at Plaid (`created_at`), or null when Plaid gave no date. */
  createdAt: Date | null;
  /** The Item's consent as Plaid keeps it (empty lists and null where Plaid gave nothing). */
  consent: ItemConsent;
  /** The Item's health after Plaid's answer (as now stored). */
  health: ItemHealth;
  /** Plaid's request id. */
  requestId: string;
}

/** What the user consented to for an Item, from `/item/get`. */
export interface ItemConsent {
  /** When the consent ends (`consent_expiration_time`, UK/EU OAuth Items), or null. */
  expiresAt: Date | null;
  /** `consented_products`, e.g. `['balance', 'transactions']`. */
  products: string[];
  /** `consented_use_cases`, as the user saw them in Link. */
  useCases: string[];
  /** `consented_data_scopes`, e.g. `['account_balance_info']`. */
  dataScopes: string[];
}

/** Input of `listItems`. */
export interface ListItemsInput {
  /** Your application's id for the user. */
  userId: string;
}

/** One Item of `listItems`: what the store knows of it, never its token. */
export interface ListedItem {
  /** Plaid's Item id. */
  itemId: string;
  /** Plaid's institution id, or null when not known. */
  institutionId: string | null;
  /** The Item's health (an Item stored before 0.2 reads as healthy since it was stored). */
  health: ItemHealth;
  /** The Item's accounts as stored (ids, names, masks, types), `[]` when not known. */
  accounts: ItemAccount[];
  /**
   * Only on an Item whose record cannot be read (its key was dropped, it was tampered with, it is
   * malformed): why (`code` e.g. `'TOKEN_KEY_UNKNOWN'`). Its `health` is then `error` with that code.
   * Calls for it fail the same way; `removeItem` with `unreadable: 'delete'` drops the record.
   */
  error?: TokenStoreError | undefined;
}

/** Input of `evaluatePayment`. */
export interface EvaluatePaymentInput {
  /** Your application's id for the user (also sent as `client_user_id`). */
  userId: string;
  /** The Item of the funding account; its access token is read from the token store. */
  itemId: string;
  /** Plaid's `account_id` of the account to debit. */
  accountId: string;
  /** The amount to debit, in USD: positive, finite, at most two decimals (e.g. `102.05`). */
  amount: number;
  /**
   * Your id of this payment attempt, 1–36 characters, sent as `client_transaction_id`: Plaid's
   * idempotency key, so every retry of the same payment is the same evaluation. Use a new id for
   * each new attempt; report decisions and returns with it.
   */
  paymentId: string;
  /** The ruleset to evaluate with (Dashboard > Signal > Rules). Default: Plaid's `default` ruleset. */
  rulesetKey?: string | undefined;
  /** Whether the user is present (deprecated by Plaid, ignored by Balance-only rulesets). */
  userPresent?: boolean | undefined;
}

/** Result of `evaluatePayment`: Plaid's evaluation, plus the call's user, Item and payment. */
export type EvaluatePaymentResult = SignalEvaluation & {
  /** The user, as given. */
  userId: string;
  /** The Item, as given. */
  itemId: string;
  /** The payment id, as given (Plaid's `client_transaction_id`). */
  paymentId: string;
};

/** Input of `reportPaymentDecision` (`/signal/decision/report`). */
export interface ReportPaymentDecisionInput {
  /** The payment id given to `evaluatePayment`. */
  paymentId: string;
  /** Whether you initiated the ACH debit. */
  initiated: boolean;
  /** Days you held the funds before making them available (0: the same day). */
  daysFundsOnHold?: number | null | undefined;
  /** Your decision: `'APPROVE'`, `'REVIEW'`, `'REJECT'`, `'TAKE_OTHER_RISK_MEASURES'`, `'NOT_EVALUATED'`. */
  decisionOutcome?:
    | OpenEnum<'APPROVE' | 'REVIEW' | 'REJECT' | 'TAKE_OTHER_RISK_MEASURES' | 'NOT_EVALUATED'>
    | null
    | undefined;
  /** The rail used: `'SAME_DAY_ACH'`, `'NEXT_DAY_ACH'`, `'STANDARD_ACH'`, `'MULTIPLE_PAYMENT_METHODS'`. */
  paymentMethod?:
    | OpenEnum<'SAME_DAY_ACH' | 'NEXT_DAY_ACH' | 'STANDARD_ACH' | 'MULTIPLE_PAYMENT_METHODS'>
    | null
    | undefined;
  /** The amount (USD) made available to the user at once, or null. */
  amountInstantlyAvailable?: number | null | undefined;
  /** When the debit was submitted to the bank. */
  submittedAt?: Date | undefined;
}

/** Input of `reportReturn` (`/signal/return/report`). */
export interface ReportReturnInput {
  /** The payment id given to `evaluatePayment`. */
  paymentId: string;
  /** The ACH return code, e.g. `'R01'`. */
  returnCode: string;
  /** When the return happened, or null. */
  returnedAt?: Date | null | undefined;
}

/** Result of `reportPaymentDecision` and `reportReturn`. */
export interface SignalReportResult {
  /** The payment id, as given. */
  paymentId: string;
  /** Plaid's request id. */
  requestId: string;
}

/**
 * Request headers as the common servers hand them over: a Fetch `Headers` (Fetch API, Hono, Next),
 * Node's `IncomingHttpHeaders` (Express, Fastify, `node:http`), or any record of names to values.
 */
export type WebhookHeaders =
  | {
      /** A header's value by name, case-insensitively, or null (a Fetch `Headers`). */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/** What `webhooks.verify` and `webhooks.handle` take: the request exactly as it arrived. */
export interface WebhookRequest {
  /**
   * The raw body bytes as received (`express.raw()`, `await request.text()`, a Buffer). A body that
   * was parsed and serialised again never matches the signature: Plaid's bodies are pretty-printed.
   */
  body: string | Uint8Array;
  /** The request headers; `Plaid-Verification` is found whatever its case. */
  headers: WebhookHeaders;
}

/** What `webhooks.handle` resolves with: the verified event and what became of its Item. */
export type HandledWebhook = PlaidWebhook & {
  /** Your user id of the Item, when the store holds the Item. */
  userId: string | undefined;
  /** The Item's health after the event, when the store holds the Item. */
  health: ItemHealth | undefined;
  /**
   * Whether this event changed the stored Item. False for a repeat delivery, for an event older
   * than the stored state, for an Item the store does not hold, and for codes that change nothing.
   * For a LINK webhook: whether it exchanged an Item (false for a redelivery).
   */
  applied: boolean;
  /**
   * LINK `ITEM_ADD_RESULT` and `SESSION_FINISHED`: the session as `handle` completed it (each
   * public token exchanged once); undefined for other webhooks and for a link token the store does
   * not know (its user cannot be told).
   */
  link?: CompleteLinkResult | undefined;
};

/** Verifying and handling Plaid's webhooks: `plaid.webhooks`. */
export interface PlaidWebhooks {
  /**
   * Verifies a webhook (signature, age, body hash, environment) and parses it. Pass the raw body.
   *
   * @throws WebhookVerificationError when it cannot be trusted (see its `code`)
   * @throws PlaidSchemaError when a verified body is not a webhook this library can read
   */
  verify(request: WebhookRequest): Promise<PlaidWebhook>;
  /**
   * Verifies a webhook, then records what it says of its Item's health in the token store.
   * Idempotent, and order-safe: an event older than the stored state changes nothing.
   *
   * @throws WebhookVerificationError, PlaidSchemaError as `verify`; TokenStoreError when the store
   *   fails or has no `findByItemId`
   */
  handle(request: WebhookRequest): Promise<HandledWebhook>;
  /**
   * Loads Plaid's webhook verification keys ahead of the first webhook (call it at start-up): the
   * `keyIds` given, and, with `webhooks.keyCache.redis`, the keys the fleet fetched recently.
   * Spends none of the per-minute fetch budget; never rejects for Plaid or Redis failing (each
   * key's `status` says what became of it).
   *
   * @throws InvalidArgumentError when `keyIds` is not a list of at most 20 key ids
   */
  prewarm(input?: WebhookKeysPrewarmInput): Promise<PrewarmedWebhookKey[]>;
}

/** What `webhooks.prewarm` loads. */
export interface WebhookKeysPrewarmInput {
  /** Key ids (`kid`) to load from Plaid now, e.g. the ones your service saw last. At most 20. */
  keyIds?: readonly string[] | undefined;
}

/** One key `webhooks.prewarm` looked at. */
export interface PrewarmedWebhookKey {
  /** The key id (`kid`). */
  keyId: string;
  /**
   * `'ready'`: held, webhooks it signs verify without a fetch; `'expired'`: Plaid says it has
   * expired; `'unknown'`: Plaid knows no such key; `'unavailable'`: Plaid could not be asked now.
   */
  status: 'ready' | 'expired' | 'unknown' | 'unavailable';
}

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
