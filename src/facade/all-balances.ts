import { setMaxListeners } from 'node:events';
import { ItemUnavailableError, isPlaidFacadeError, type PlaidFacadeError, UnexpectedError } from '../errors.js';
import { DEFAULT_ALL_BALANCES_CONCURRENCY } from '../options/defaults.js';
import { type CallOptions, checkInput, nonBlank, type ResolvedCall, resolveCall } from '../options.js';
import { z } from '../schemas/zod.js';
import type { StoredItem, UnreadableRecord } from '../stores/token-store.js';
import type { AllBalancesInput, AllBalancesResult, ItemBalances } from '../types.js';
import { maxAgeMsSchema, readBalances } from './balances.js';
import type { FacadeContext } from './internal/context.js';
import { Gate } from './internal/gate.js';
import { userItems } from './internal/user-items.js';

const allBalancesInputSchema = z
  .object({
    userId: nonBlank,
    maxAgeMs: maxAgeMsSchema.optional(),
    concurrency: z.number().int('must be a whole number').min(1).max(100).optional(),
  })
  .strict();

/** Health states in which a call cannot succeed until the user acts: reported without a call. */
const needsUser: ReadonlySet<string> = new Set(['login_required', 'revoked']);

/**
 * Reads the balances of every Item the user has (the store's list), one `getBalances` each, and
 * reports each Item on its own: a bad Item never fails the others. `callOptions.signal` bounds the
 * whole read (aborting it rejects, like any call); at most `concurrency` attempts are with Plaid at
 * once, and an Item waiting for its own per-Item limit holds no place, so it never delays another.
 */
export async function getAllBalances(
  context: FacadeContext,
  input: AllBalancesInput,
  callOptions: CallOptions | undefined,
): Promise<AllBalancesResult> {
  checkInput('getAllBalances input', allBalancesInputSchema, input);
  const call = resolveCall(context.options, '/accounts/balance/get', callOptions);
  const { items, unreadable } = await userItems(context, input.userId, callOptions?.signal);
  const linked = linkedSignal(callOptions?.signal);
  try {
    return await readAll(context, input, { ...call, signal: linked.signal }, items, unreadable, callOptions?.timeoutMs);
  } finally {
    linked.dispose();
  }
}

/** Reads every readable Item (at most `concurrency` at once) and reports the unreadable ones. */
async function readAll(
  context: FacadeContext,
  input: AllBalancesInput,
  call: ResolvedCall,
  items: StoredItem[],
  unreadable: UnreadableRecord[],
  joinTimeoutMs: number | undefined,
): Promise<AllBalancesResult> {
  const gate = new Gate(input.concurrency ?? DEFAULT_ALL_BALANCES_CONCURRENCY);
  // One bad record is one failed Item: the others are read all the same.
  const failed = unreadable.map((record): ItemBalances => ({ itemId: record.itemId, ok: false, error: record.error }));
  const read = await Promise.all(
    items.map(async (item): Promise<ItemBalances> => {
      const unavailable = unavailableError(item);
      if (unavailable) return { itemId: item.itemId, ok: false, error: unavailable };
      try {
        const read = await readBalances(
          context,
          item,
          { userId: input.userId, itemId: item.itemId, maxAgeMs: input.maxAgeMs },
          call,
          { gate, joinTimeoutMs },
        );
        return {
          itemId: item.itemId,
          ok: true,
          requestId: read.requestId,
          fetchedAt: read.fetchedAt,
          source: read.source,
          accounts: read.accounts,
        };
      } catch (error) {
        // The caller's own abort ends the whole read, as for every call.
        if (call.signal?.aborted) throw call.signal.reason;
        return { itemId: item.itemId, ok: false, error: asFacadeError(error) };
      }
    }),
  );
  const results = [...read, ...failed];
  return {
    userId: input.userId,
    partial: results.some((result) => !result.ok),
    accounts: results.flatMap((result) =>
      result.ok ? result.accounts.map((account) => ({ ...account, itemId: result.itemId })) : [],
    ),
    items: results,
  };
}

/**
 * A signal of this call's own that aborts with the caller's: each Item's read listens to it (its
 * gate, its single flight, its attempts), so a user with many Items would pass Node's default of 10
 * listeners on the caller's signal and print `MaxListenersExceededWarning`. The caller's signal gets
 * one listener; this one may have as many as there are Items, and each is removed when its read ends.
 */
function linkedSignal(caller: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (!caller) return { signal: undefined, dispose: () => {} };
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort(caller.reason);
  if (caller.aborted) onAbort();
  else caller.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, dispose: () => caller.removeEventListener('abort', onAbort) };
}

/** The error of an Item whose known health says only the user can bring it back; else undefined. */
function unavailableError(item: StoredItem): ItemUnavailableError | undefined {
  const health = item.health;
  if (!health || !needsUser.has(health.status)) return undefined;
  return new ItemUnavailableError(item.itemId, health);
}

function asFacadeError(error: unknown): PlaidFacadeError {
  if (isPlaidFacadeError(error)) return error;
  return new UnexpectedError('Reading the Item', error);
}
