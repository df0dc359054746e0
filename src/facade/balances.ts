import type { AccountsBalanceGetRequest } from 'plaid';
import { PlaidApiError, PlaidSchemaError, redactSecrets } from '../errors.js';
import { DEFAULT_MAX_AGE_MS } from '../options/defaults.js';
import { type CallOptions, checkInput, idSchema, type ResolvedCall, resolveCall } from '../options.js';
import { classifyJoinTimeout } from '../pipeline/classify.js';
import { accountsBalanceGetResponseSchema } from '../schemas/accounts-balance-get.js';
import { z } from '../schemas/zod.js';
import type { BalanceCache, BalanceLease } from '../stores/balance-cache.js';
import type { StoredItem } from '../stores/token-store.js';
import type { BalancesInput, BalancesResult } from '../types.js';
import { cacheGet, cacheSet } from './internal/balance-cache-calls.js';
import { balanceKey } from './internal/balance-key.js';
import { minLastUpdatedFor, retryWithMinLastUpdated, withFreshnessAdvice } from './internal/capital-one.js';
import { callPlaid, type FacadeContext, readItem, storeBound } from './internal/context.js';
import type { Gate } from './internal/gate.js';
import { withItemHealth } from './internal/item-health.js';

/** The largest delay a Node timer honours; a larger `maxAgeMs` would mean "forever" by accident. */
const maxAgeLimitMs = 2 ** 31 - 1;

/** `maxAgeMs`: how old a read may be to be served again; 0 (the default) means always live. */
export const maxAgeMsSchema = z.number().int('must be a whole number of milliseconds').min(0).max(maxAgeLimitMs);

const balancesInputSchema = z
  .object({
    userId: idSchema,
    itemId: idSchema,
    accountIds: z.array(idSchema).max(1_000).min(1, 'must list at least one account (omit it for all)').optional(),
    minLastUpdated: z
      .date()
      .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date')
      .optional(),
    maxAgeMs: maxAgeMsSchema.optional(),
  })
  .strict();

/**
 * Reads an Item's balances (`/accounts/balance/get`, live from the bank and billed), with the access
 * token from the store. With `maxAgeMs`, a read fetched that recently is served from the balance
 * cache instead (`source: 'cache'`, its real `fetchedAt`); identical reads under way share one call.
 */
export async function getBalances(
  context: FacadeContext,
  input: BalancesInput,
  callOptions: CallOptions | undefined,
): Promise<BalancesResult> {
  checkInput('getBalances input', balancesInputSchema, input);
  const call = resolveCall(context.options, '/accounts/balance/get', callOptions);
  const item = await readItem(context, input, call.signal);
  return readBalances(context, item, input, call, { joinTimeoutMs: callOptions?.timeoutMs });
}

/** The bounds one read runs within, beyond its input and call options. */
export interface ReadBounds {
  /** Bounds the wait of a read that joins another's call (the caller's own `timeoutMs`, when given). */
  joinTimeoutMs?: number | undefined;
  /** Holds each attempt's place among the attempts of one `getAllBalances`. */
  gate?: Gate | undefined;
}

/**
 * One Item's read, its record already read: the cache when `maxAgeMs` allows, else the live call,
 * shared with identical reads under way. Each caller gets its own copy of the result.
 */
export async function readBalances(
  context: FacadeContext,
  item: StoredItem,
  input: BalancesInput,
  call: ResolvedCall,
  bounds: ReadBounds = {},
): Promise<BalancesResult> {
  const key = balanceKey(input);
  const maxAgeMs = input.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const { balances } = context;
  if (maxAgeMs > 0) {
    // A cache that fails or is slow costs a live read (within its bound), never the call.
    const cached = await cacheGet(context, key, call.signal);
    if (cached && cached.userId === input.userId && Date.now() - cached.fetchedAt.getTime() <= maxAgeMs) {
      return { ...cached, source: 'cache' };
    }
  }
  const live = async (signal: AbortSignal | undefined): Promise<BalancesResult> => {
    // Across processes: one of them holds the read's lease and reads live, the others get its result.
    const lease = maxAgeMs > 0 ? await takeLease(balances.cache, key, call, signal) : undefined;
    if (lease && !lease.held && lease.value && lease.value.userId === input.userId) {
      return { ...lease.value, source: 'cache' };
    }
    let written: Promise<void> | undefined;
    try {
      const result = await liveRead(context, item, input, { ...call, signal }, bounds.gate);
      // In the background: the caller never waits for the cache.
      if (maxAgeMs > 0) written = cacheSet(context, key, withoutSource(result), maxAgeMs);
      return result;
    } finally {
      // Given back once the result is in the cache (or its bounded write gave up), so that the
      // processes waiting on the lease find it there.
      if (lease?.held) void (written ?? Promise.resolve()).then(() => lease.release()).catch(() => {});
    }
  };
  if (!balances.singleFlight) return live(call.signal);
  // Each caller that joined gets its own copy (see create.ts), so none sees another's changes.
  return balances.flights.run(key, live, {
    signal: call.signal,
    joinTimeoutMs: bounds.joinTimeoutMs,
    timeoutError: (ms) => classifyJoinTimeout('/accounts/balance/get', ms),
  });
}

/** The live read, with Capital One's `min_last_updated_datetime` and its one retry. */
async function liveRead(
  context: FacadeContext,
  item: StoredItem,
  input: BalancesInput,
  call: ResolvedCall,
  gate: Gate | undefined,
): Promise<BalancesResult> {
  const { maxBalanceAgeMs } = context.options;
  const send = (minLastUpdated: Date | undefined) => {
    const options = {
      ...(input.accountIds ? { account_ids: input.accountIds } : {}),
      ...(minLastUpdated ? { min_last_updated_datetime: minLastUpdated.toISOString() } : {}),
    };
    const request = {
      access_token: item.accessToken,
      ...(input.accountIds || minLastUpdated ? { options } : {}),
    } satisfies AccountsBalanceGetRequest;
    // ITEM_LOGIN_REQUIRED marks the Item's health; a success mends it.
    return withItemHealth(context, item, () =>
      callPlaid(context, call, {
        endpoint: '/accounts/balance/get',
        schema: accountsBalanceGetResponseSchema,
        itemId: input.itemId,
        accessToken: item.accessToken,
        gate,
        request,
      }),
    );
  };
  const sent = minLastUpdatedFor(input.minLastUpdated, item.institutionId, maxBalanceAgeMs, Date.now());
  let body: Awaited<ReturnType<typeof send>>;
  try {
    body = await send(sent);
  } catch (error) {
    // An Item stored before its institution was known may be Capital One's: one more try, with the option.
    if (
      maxBalanceAgeMs === undefined ||
      !(error instanceof PlaidApiError) ||
      !retryWithMinLastUpdated(error, sent, item.institutionId, maxBalanceAgeMs)
    ) {
      throw withFreshnessAdvice(error, sent);
    }
    const retried = new Date(Date.now() - maxBalanceAgeMs);
    body = await send(retried).catch((second: unknown) => {
      throw withFreshnessAdvice(second, retried);
    });
  }
  // A request id goes into errors and events: an echoing server could put a secret in it.
  const requestId = redactSecrets(body.request_id, [context.options.secret, item.accessToken]);
  if (body.item.item_id !== input.itemId) {
    // The token answered for another Item: returning its balances would mix up accounts.
    throw new PlaidSchemaError(
      '/accounts/balance/get',
      [{ path: ['item', 'item_id'], message: `expected the Item ${input.itemId}, got another` }],
      requestId,
    );
  }
  // Plaid bills every successful balance read: say so once per call, however many callers shared it.
  context.balances.meter(requestId);
  await learnInstitution(context, item, body.item.institution_id);
  return {
    userId: input.userId,
    itemId: input.itemId,
    requestId,
    fetchedAt: new Date(),
    accounts: body.accounts,
    source: 'live',
  };
}

/**
 * Keeps the institution Plaid named for an Item stored without one (linked before 0.2), so that
 * Capital One's option is sent from the next read on. Best effort: the record is read again just
 * before (so a concurrent health update is not overwritten with an older copy), and a failure
 * changes nothing for this read.
 */
async function learnInstitution(
  context: FacadeContext,
  item: StoredItem,
  institutionId: string | null | undefined,
): Promise<void> {
  if (item.institutionId !== undefined || typeof institutionId !== 'string') return;
  // Under the Item's lock, as every health update of this facade, so neither overwrites the other.
  await context.locks
    .run(item.itemId, () =>
      storeBound(context, 'Keeping the institution of Item', item.itemId, async () => {
        const fresh = await context.store.get({ userId: item.userId, itemId: item.itemId });
        if (fresh && fresh.institutionId === undefined) await context.store.set({ ...fresh, institutionId });
      }),
    )
    .catch(() => {});
}

/** The cache's lease for a read, when it has one; a lease that fails means reading live. */
async function takeLease(
  cache: BalanceCache,
  key: string,
  call: ResolvedCall,
  signal: AbortSignal | undefined,
): Promise<BalanceLease | undefined> {
  if (typeof cache.lease !== 'function') return undefined;
  return cache.lease(key, { ttlMs: call.timeoutMs, waitMs: call.timeoutMs, signal }).catch(() => undefined);
}

function withoutSource({ source: _source, ...read }: BalancesResult) {
  return read;
}
