/**
 * The public-token exchange, and the whole "nothing lost" story in one place:
 *
 * 0. Before the request, nothing is spent: a duplicate Item is refused (`internal/link-metadata.ts`)
 *    and the store is probed (`internal/store-probe.ts`: a missing table, a Redis away), with the
 *    public token unused. Each public token is exchanged once across callers and processes
 *    (`internal/exchange-once.ts`, which wraps `exchange` below).
 * 1. An attempt that may have reached Plaid is never sent again (the public token is single
 *    use): the request goes with `nonIdempotent: true`, `pipeline/classify.ts` marks such failures
 *    `outcomeUnknown` and not `retryable`, so `retry.ts` does not try them again, and the token is
 *    remembered as uncertain (`internal/uncertain-exchanges.ts`, a digest only), so a later
 *    `INVALID_PUBLIC_TOKEN` for it is explained instead of reported bare. The caller's error says to link again; an Item Plaid may
 *    have made without an answer reaching us has no token the facade could use to remove it.
 * 2. An answer that cannot be read but carries an access token gets its Item removed at Plaid
 *    (`removeUnusedTokens`, through `cleanUpAtPlaid` in `remove-item.ts`), rather than left billed
 *    with a token nobody keeps; so does one cut off after the token (the answer is read as a
 *    stream, `pipeline/read-body.ts`, so what arrived is kept, and its token comes back in the
 *    call's record, `CallRecord`).
 * 3. The access token goes to the store, with the write retried (`STORE_WRITE_ATTEMPTS`; each write
 *    bounded by `tokenStoreTimeoutMs`: a store that hangs counts as failed); if the store still
 *    fails, the Item is removed at Plaid and the caller told whether that worked (`TokenStoreError`).
 * 3b. A write that failed or timed out may still land: once the Item is removed at Plaid, its
 *    record is never served, listed or taken for a duplicate, and is deleted (`internal/reconcile.ts`).
 * 4. Once Plaid has exchanged, that save-or-remove runs to its end whatever the caller does: a
 *    caller that aborts is answered at once, the work goes on in the background (`close()` waits
 *    for it), and an `exchange-settled` event says how it ended.
 */
import type { ItemPublicTokenExchangeRequest } from 'plaid';
import { isPlaidFacadeError, redactSecrets, TokenStoreError } from '../errors.js';
import {
  type CallOptions,
  checkInput,
  idSchema,
  publicTokenSchema,
  type ResolvedCall,
  resolveCall,
} from '../options.js';
import { type CallRecord, newCallRecord } from '../pipeline/run-call.js';
import { itemPublicTokenExchangeResponseSchema } from '../schemas/item-public-token-exchange.js';
import { linkSuccessMetadataSchema } from '../schemas/link-metadata.js';
import { z } from '../schemas/zod.js';
import type { StoredItem } from '../stores/token-store.js';
import type { ExchangeInput, ExchangeResult } from '../types.js';
import { callPlaid, type FacadeContext, storeBound } from './internal/context.js';
import { describedByMetadata, describeFromPlaid, refuseDuplicate } from './internal/link-metadata.js';
import { reconcileRecord } from './internal/reconcile.js';
import { probeStore } from './internal/store-probe.js';
import type { UncertainExchanges } from './internal/uncertain-exchanges.js';
import { cleanUpAtPlaid } from './remove-item.js';

export const exchangeInputSchema = z
  .object({ userId: idSchema, publicToken: publicTokenSchema, metadata: linkSuccessMetadataSchema.optional() })
  .strict();

/** Attempts (first try included) to keep a fresh access token before giving up on the store. */
export const STORE_WRITE_ATTEMPTS = 3;

/** Pause before the second write attempt; the third waits twice as long. */
const storeRetryPauseMs = 100;

/** What `exchange-once.ts` is told of one exchange: that Plaid answered, and how the save ended. */
export interface ExchangeHooks {
  /** Plaid answered with an access token (called before the save). */
  answered(itemId: string): void;
  /** The save-or-remove ended (also after the caller aborted); awaited before the caller is answered. */
  settled(outcome: Saved['outcome'], item: StoredItem): Promise<void>;
}

/**
 * Exchanges a public token (`/item/public_token/exchange`) and keeps the access token in the
 * store. The caller gets the Item's id, never the token. (`exchange-once.ts` wraps it so that each
 * public token is exchanged once.)
 */
export async function exchange(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  input: ExchangeInput,
  callOptions: CallOptions | undefined,
  hooks?: ExchangeHooks,
): Promise<ExchangeResult> {
  checkInput('exchange input', exchangeInputSchema, input);
  const call = resolveCall(context.options, '/item/public_token/exchange', callOptions);
  // Before the exchange: a duplicate is refused with its public token unused, so nothing is billed.
  await refuseDuplicate(context, input.userId, input.metadata, call.signal);
  await probeStore(context); // a missing ensureSchema() or a down store fails with the token unused
  // From the request on, close() waits for this exchange to end: its save or clean-up included.
  const work = exchangeAndKeep(context, uncertain, input, call, hooks);
  const exchangeEnded = work.then((outcome) => outcome.done);
  context.cleanups.add(exchangeEnded);
  void exchangeEnded.finally(() => context.cleanups.delete(exchangeEnded)).catch(() => {});
  const { body, saving } = await work;
  const result = await untilAborted(saving, call.signal);
  if (result.error) throw result.error;
  // The caller never gets the access token, even from a server that echoes it in the request id.
  const requestId = redactSecrets(body.request_id, [context.options.secret, body.access_token]);
  return { userId: input.userId, itemId: body.item_id, requestId, newlyExchanged: true };
}

/** The exchange itself, then the save-or-remove as a promise that never rejects. */
async function exchangeAndKeep(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  input: ExchangeInput,
  call: ResolvedCall,
  hooks: ExchangeHooks | undefined,
): Promise<{
  body: z.output<typeof itemPublicTokenExchangeResponseSchema>;
  saving: Promise<Saved>;
  done: Promise<Saved>;
}> {
  const request = { public_token: input.publicToken } satisfies ItemPublicTokenExchangeRequest;
  const cleanUp = resolveCall(context.options, '/item/products/terminate', undefined);
  // The pipeline reads the answer as a stream, so that one cut off after its access token still
  // yields the token; the tokens of answers it could not use come back in the record.
  const record = newCallRecord();
  const body = await callPlaid(context, call, {
    endpoint: '/item/public_token/exchange',
    request,
    schema: itemPublicTokenExchangeResponseSchema,
    nonIdempotent: true,
    publicToken: input.publicToken,
    answerCarriesAccessToken: true,
    record,
  }).catch(async (error: unknown) => {
    await removeUnusedTokens(context, cleanUp, record);
    if (isPlaidFacadeError(error) && error.outcomeUnknown) uncertain.remember(input.publicToken);
    throw uncertain.explain(input.publicToken, error);
  });
  hooks?.answered(body.item_id);
  const createdAt = new Date();
  const item: StoredItem = {
    userId: input.userId,
    itemId: body.item_id,
    accessToken: body.access_token,
    createdAt,
    ...describedByMetadata(input.metadata),
    // A newly exchanged Item works: Plaid has just read it.
    health: { status: 'healthy', since: createdAt },
  };
  const saving = saveExchangedItem(context, item, {
    removeAtPlaid: () => cleanUpAtPlaid(context, cleanUp, body.access_token, body.item_id),
    secrets: [context.options.secret, body.access_token, input.publicToken],
  }).then(async (saved) => {
    // The exchange's claim is completed (or released) before anyone is answered.
    await hooks?.settled(saved.outcome, item).catch(() => {});
    // What Link's metadata did not say, from the free /accounts/get; its failure never fails this.
    if (saved.outcome === 'saved') await describeFromPlaid(context, item);
    context.pipeline.emit({
      type: 'exchange-settled',
      endpoint: '/item/public_token/exchange',
      itemId: body.item_id,
      outcome: saved.outcome,
    });
    return saved;
  });
  return { body, saving, done: saving };
}

/**
 * Removes at Plaid the Items of access tokens found in answers the pipeline could not use, rather
 * than leave them billed with a token nobody keeps: awaited for an unreadable answer (before the
 * caller hears of the failure), in the background for a cut-off one (`close()` waits for it).
 */
async function removeUnusedTokens(context: FacadeContext, cleanUp: ResolvedCall, record: CallRecord): Promise<void> {
  for (const { accessToken, answer } of record.unusedAccessTokens) {
    const removal = cleanUpAtPlaid(context, cleanUp, accessToken, undefined).catch(() => {});
    if (answer === 'unreadable') {
      await removal;
      continue;
    }
    context.cleanups.add(removal);
    void removal.finally(() => context.cleanups.delete(removal));
  }
}

/** What became of a freshly exchanged access token, and the error for the caller if it was not kept. */
interface Saved {
  outcome: 'saved' | 'removed' | 'orphaned';
  error?: TokenStoreError;
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the work goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Keeps the access token Plaid just issued. The write is retried; if the store still fails, the
 * Item is removed at Plaid so that no Item stays billed with a token nobody holds, and the caller
 * gets a `TokenStoreError` (code `TOKEN_STORE_WRITE_FAILED`) saying whether that removal worked.
 * Never rejects: it says how it ended. The token itself is never logged, put in the error, or
 * handed back.
 */
async function saveExchangedItem(
  context: FacadeContext,
  item: StoredItem,
  whenStoreFails: { removeAtPlaid: () => Promise<unknown>; secrets: ReadonlyArray<string | undefined> },
): Promise<Saved> {
  const written = await writeWithRetry(context, item);
  if (written.ok) return { outcome: 'saved' };
  let itemRemoved = false;
  try {
    await whenStoreFails.removeAtPlaid();
    itemRemoved = true;
  } catch {
    // Reported through `itemRemoved` below; the removal's own error may name the token's Item only.
  }
  if (itemRemoved) {
    // A write that failed or timed out may still land: its record must not outlive the Item.
    const reconciling = reconcileRecord(context, item, written.writes);
    context.cleanups.add(reconciling);
    void reconciling.finally(() => context.cleanups.delete(reconciling));
  }
  const outcome = itemRemoved
    ? 'The Item was removed at Plaid so that nothing stays billed; ask the user to link again.'
    : `Removing the Item at Plaid failed too: Item ${item.itemId} is orphaned at Plaid and its access token is lost; remove it from the Plaid Dashboard.`;
  const error = new TokenStoreError(
    `Plaid issued an access token for Item ${item.itemId}, but the token store failed ${STORE_WRITE_ATTEMPTS} times to keep it (${storeFailureSummary(written.error, whenStoreFails.secrets)}). ${outcome}`,
    {
      cause: written.error,
      itemId: item.itemId,
      itemRemoved,
      code: 'TOKEN_STORE_WRITE_FAILED',
      redact: (text) => redactSecrets(text, whenStoreFails.secrets),
    },
  );
  return { outcome: itemRemoved ? 'removed' : 'orphaned', error };
}

/**
 * What the store said, safe to put in a message: the store's own `TokenStoreError` message (its
 * driver's message, already redacted, e.g. "… does not exist (call ensureSchema() first)" or
 * "connect ECONNREFUSED 127.0.0.1:5432"), or the message or code of whatever a user's store threw,
 * with the secrets redacted. The full cause stays in `error.cause`.
 */
function storeFailureSummary(error: unknown, secrets: ReadonlyArray<string | undefined>): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' && message ? message : typeof code === 'string' ? code : '';
  return text ? redactSecrets(text, secrets) : 'no message';
}

/**
 * Writes an Item, retrying a failed write with a short pause. Never throws: says how it went, and
 * on failure hands back every write sent (each may still land: see `reconcile.ts`).
 */
async function writeWithRetry(
  context: FacadeContext,
  item: StoredItem,
): Promise<{ ok: true } | { ok: false; error: unknown; writes: Promise<unknown>[] }> {
  let lastError: unknown;
  const writes: Promise<unknown>[] = [];
  for (let attempt = 1; attempt <= STORE_WRITE_ATTEMPTS; attempt++) {
    try {
      // A write that hangs counts as failed: the token must not wait in memory for ever.
      await storeBound(context, 'Writing the access token', item.itemId, () => {
        const write = Promise.resolve().then(() => context.store.set(item));
        writes.push(write.catch(() => {}));
        return write;
      });
      return { ok: true };
    } catch (error) {
      lastError = error;
      if (attempt < STORE_WRITE_ATTEMPTS)
        await new Promise((resolve) => setTimeout(resolve, storeRetryPauseMs * attempt));
    }
  }
  return { ok: false, error: lastError, writes };
}
