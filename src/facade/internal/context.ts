import type { PlaidApi } from 'plaid';
import { TokenNotFoundError } from '../../errors.js';
import type { PlaidEndpoint } from '../../events.js';
import type { ResolvedCall, ResolvedOptions } from '../../options.js';
import { type CallSpec, type Pipeline, runCall } from '../../pipeline/run-call.js';
import type { z } from '../../schemas/zod.js';
import type { BalanceCache } from '../../stores/balance-cache.js';
import { boundedStoreCall } from '../../stores/bounded-call.js';
import { storeCall } from '../../stores/store-error.js';
import type { ItemKey, StoredItem, TokenStore } from '../../stores/token-store.js';
import type { BalancesResult } from '../../types.js';
import type { ItemLocks } from '../../webhooks/health.js';
import type { RemovedItems } from './removed-items.js';
import type { SingleFlight } from './single-flight.js';

/** What every operation of one facade shares: its resolved options, store, pipeline and client. */
export interface FacadeContext {
  readonly options: ResolvedOptions;
  readonly store: TokenStore;
  readonly pipeline: Pipeline;
  /** The official client, loaded on first use (before an attempt's clock starts). */
  readonly client: () => Promise<PlaidApi>;
  /** Serializes health updates per Item (webhooks, calls, getItem) within this facade. */
  readonly locks: ItemLocks;
  /** What balance reads share: the calls under way, the cache, and the meter of billed calls. */
  readonly balances: BalanceReads;
  /**
   * Save-or-remove work of exchanges still running (for a caller that aborted, say); `close()`
   * waits for it.
   */
  readonly cleanups: Set<Promise<unknown>>;
  /** Items removed at Plaid whose record may still land in the store: never served nor listed. */
  readonly removed: RemovedItems;
}

/** The state balance reads share within one facade. */
export interface BalanceReads {
  /** Live reads under way, by balance key (used when `singleFlight` is on). */
  readonly flights: SingleFlight<BalancesResult>;
  readonly cache: BalanceCache;
  readonly singleFlight: boolean;
  /** Reports one billed call (a successful live balance read). */
  readonly meter: (requestId: string) => void;
}

/**
 * One Plaid call of an operation, as data: the request for `endpoint` (of that endpoint's own
 * type), the schema its answer must pass, and what the pipeline needs to know of it.
 */
export interface PlaidRequest<Schema extends z.ZodType, Endpoint extends PlaidEndpoint>
  extends Pick<
    CallSpec<Schema, Endpoint>,
    'endpoint' | 'request' | 'schema' | 'nonIdempotent' | 'answerCarriesAccessToken' | 'record' | 'gate' | 'cleanup'
  > {
  /** The Item concerned, for per-Item limits. */
  itemId?: string | undefined;
  /** The access token the request carries, so that no error or event can show it. */
  accessToken?: string | undefined;
  /** The public token the request carries (the exchange), so that no error or event can show it. */
  publicToken?: string | undefined;
}

/** Sends `request` through the pipeline with the call's resolved options; resolves with the parsed body. */
export async function callPlaid<Schema extends z.ZodType, Endpoint extends PlaidEndpoint>(
  context: FacadeContext,
  call: ResolvedCall,
  request: PlaidRequest<Schema, Endpoint>,
): Promise<z.output<Schema>> {
  const api = await context.client();
  return runCall(
    {
      endpoint: request.endpoint,
      request: request.request,
      api,
      schema: request.schema,
      itemId: request.itemId,
      nonIdempotent: request.nonIdempotent,
      answerCarriesAccessToken: request.answerCarriesAccessToken,
      record: request.record,
      gate: request.gate,
      cleanup: request.cleanup,
      secrets: [context.options.secret, request.accessToken, request.publicToken],
      call,
    },
    context.pipeline,
  );
}

/**
 * Reads an Item's record, failing with `TokenNotFoundError` when there is none (or it is of an Item
 * this facade removed at Plaid) and with `TokenStoreError` when the store fails or does not answer
 * within `tokenStoreTimeoutMs`. The caller's `signal` ends the wait with its reason.
 */
export async function readItem(
  context: FacadeContext,
  key: ItemKey,
  signal?: AbortSignal | undefined,
): Promise<StoredItem> {
  const what = `Reading the access token of Item ${key.itemId}`;
  const item = await storeBound(
    context,
    what,
    key.itemId,
    () => context.store.get({ userId: key.userId, itemId: key.itemId }),
    signal,
  );
  // A store that returns another user's record would leak an Item across users: refuse it.
  if (!item || item.userId !== key.userId || item.itemId !== key.itemId || context.removed.has(key.itemId)) {
    throw new TokenNotFoundError(key.userId, key.itemId);
  }
  return item;
}

/**
 * One token-store operation, bounded by `tokenStoreTimeoutMs` (a store that hangs counts as
 * failed, `TOKEN_STORE_TIMEOUT`) and with whatever it throws turned into a `TokenStoreError`. The
 * caller's `signal`, when given, ends the wait with its reason (passed through as it is).
 */
export async function storeBound<T>(
  context: FacadeContext,
  what: string,
  itemId: string | undefined,
  operation: () => Promise<T>,
  signal?: AbortSignal | undefined,
): Promise<T> {
  try {
    return await storeCall(what, { itemId }, () =>
      boundedStoreCall(what, context.options.tokenStoreTimeoutMs, operation, itemId, signal),
    );
  } catch (error) {
    // The caller's abort is the caller's reason, as for every call: not a store failure.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/**
 * Our enums are open strings (Plaid adds values over time, and a new value must not need a new
 * release); the official client types its enums as TypeScript string enums. The values travel as
 * they are: this only tells the compiler so, in one place, instead of a cast over a whole request.
 */
export function plaidEnums<Enum extends string>(values: readonly string[]): Enum[] {
  return values as Enum[];
}
