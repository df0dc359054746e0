import { ItemUnavailableError, isPlaidFacadeError, type PlaidFacadeError, UnexpectedError } from '../errors.js';
import { type CallOptions, checkInput, nonBlank, resolveCall } from '../options.js';
import { z } from '../schemas/zod.js';
import type { StoredItem } from '../stores/token-store.js';
import type { AllBalancesInput, AllBalancesResult, ItemBalances } from '../types.js';
import { maxAgeMsSchema, readBalances } from './balances.js';
import type { FacadeContext } from './context.js';
import { Gate } from './gate.js';
import { userItems } from './user-items.js';

/** Default of `getAllBalances`' `concurrency`: attempts sent to Plaid at once for one user. */
export const DEFAULT_ALL_BALANCES_CONCURRENCY = 4;

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
  const { items, unreadable } = await userItems(context, input.userId, call.signal);
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
          { gate, joinTimeoutMs: callOptions?.timeoutMs },
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
