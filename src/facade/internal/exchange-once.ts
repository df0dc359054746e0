/**
 * Exactly one exchange per public token, across processes. The browser's `onSuccess`, a LINK
 * webhook and `completeLink` may each deliver the same public token, in any order or at once; a
 * public token is single use at Plaid, so a second exchange would only fail (`INVALID_PUBLIC_TOKEN`).
 *
 * Each caller first claims the token in the token store's link records: a set-if-absent of
 * `claim:<SHA-256 of the token>` (never the token itself) holding the caller's id and a lease.
 * The winner exchanges and stores the Item, then completes the claim with the Item's id; every
 * other caller waits (bounded, abortable) and gets that Item with `newlyExchanged: false`. A
 * claim whose holder died (its lease ran out with no Item) is taken over with a compare-and-set.
 * A winner that fails releases the claim, so a waiter tries for itself (and gets its own error).
 */
import { randomUUID } from 'node:crypto';
import { ExchangeInProgressError, InvalidArgumentError, TokenStoreError } from '../../errors.js';
import { type CallOptions, checkInput } from '../../options.js';
import { isInvalidPublicToken } from '../../pipeline/classify.js';
import { sleep } from '../../pipeline/sleep.js';
import type { ExchangeInput, ExchangeResult } from '../../types.js';
import { exchange, exchangeInputSchema } from '../exchange.js';
import type { FacadeContext } from './context.js';
import { type LinkRecords, linkRecords, localLinkRecords, tokenDigest } from './link-records.js';
import type { UncertainExchanges } from './uncertain-exchanges.js';

/** How long a claim holds before another caller may take it over, in milliseconds. */
export const EXCHANGE_CLAIM_LEASE_MS = 120_000;
/**
 * How long a completed claim is kept: past Plaid's six hours of `/link/token/get` results, so a
 * late `completeLink` or webhook still finds the Item instead of exchanging again.
 */
export const EXCHANGE_CLAIM_KEEP_MS = 7 * 3_600_000;
// A waiter gives up a little after the holder's lease would have let it take over.
const waitMarginMs = 5_000;
const firstPollMs = 50;
const maxPollMs = 500;

/** What a claim record holds (JSON in the link record's value). */
interface Claim {
  /** The caller holding the claim (a random id per exchange call). */
  owner: string;
  /** Until when, in ms since the epoch, the claim is the owner's alone. */
  leaseUntil: number;
  userId: string;
  /** Set once the Item is stored. */
  itemId?: string;
}

/** `exchange`, once per public token (see the module's comment). */
export async function exchangeOnce(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  input: ExchangeInput,
  callOptions: CallOptions | undefined,
): Promise<ExchangeResult> {
  checkInput('exchange input', exchangeInputSchema, input);
  let records = linkRecords(context, undefined);
  const key = `claim:${tokenDigest(input.publicToken)}`;
  const owner = randomUUID();
  const started = Date.now();
  const signal = callOptions?.signal;
  let pollMs = firstPollMs;
  for (;;) {
    signal?.throwIfAborted();
    const now = Date.now();
    const mine: Claim = { owner, leaseUntil: now + EXCHANGE_CLAIM_LEASE_MS, userId: input.userId };
    const value = JSON.stringify(mine);
    const expiresAt = new Date(now + EXCHANGE_CLAIM_KEEP_MS);
    let won: boolean;
    try {
      won = await records.set({ key, value, expiresAt }, null);
    } catch (error) {
      // The store cannot take the claim (down, or its link-records table missing): go on with a
      // claim in this process only, as before link records. Plaid's single use still keeps a
      // second process from making a second Item; the save then meets the store as it is.
      if (!records.shared || !(error instanceof TokenStoreError)) throw error;
      records = localLinkRecords(context);
      continue;
    }
    if (won) return exchangeAsWinner(context, uncertain, input, callOptions, records, key, value);
    const current = await records.get(key);
    if (current === undefined) continue; // released or expired a moment ago: claim again
    const claim = parseClaim(current.value);
    if (claim?.itemId !== undefined) return existingItem(input, claim.userId, claim.itemId);
    if (!claim || claim.leaseUntil <= now) {
      // The holder died (or wrote something unreadable): take over, if nobody else did first.
      if (await records.set({ key, value, expiresAt }, current.value)) {
        return exchangeAsWinner(context, uncertain, input, callOptions, records, key, value);
      }
      continue;
    }
    const waited = now - started;
    if (waited > EXCHANGE_CLAIM_LEASE_MS + waitMarginMs) throw new ExchangeInProgressError(waited);
    await sleep(Math.min(pollMs, Math.max(1, claim.leaseUntil - now)), signal);
    pollMs = Math.min(pollMs * 2, maxPollMs);
  }
}

async function exchangeAsWinner(
  context: FacadeContext,
  uncertain: UncertainExchanges,
  input: ExchangeInput,
  callOptions: CallOptions | undefined,
  records: LinkRecords,
  key: string,
  value: string,
): Promise<ExchangeResult> {
  let answered = false;
  try {
    return await exchange(context, uncertain, input, callOptions, {
      answered: () => {
        answered = true;
      },
      settled: async (outcome, item) => {
        if (outcome !== 'saved') {
          await records.delete(key, value);
          return;
        }
        // Unconditional: the Item is real even if a late holder's claim was taken over meanwhile.
        const done: Claim = { ...(JSON.parse(value) as Claim), itemId: item.itemId };
        await records.set({
          key,
          value: JSON.stringify(done),
          expiresAt: new Date(Date.now() + EXCHANGE_CLAIM_KEEP_MS),
        });
      },
    });
  } catch (error) {
    if (!answered) await records.delete(key, value).catch(() => {});
    // A taken-over claim whose first holder finished after all: the token is used up, the Item is there.
    if (isInvalidPublicToken(error)) {
      const claim = parseClaim((await records.get(key).catch(() => undefined))?.value);
      if (claim?.itemId !== undefined) return existingItem(input, claim.userId, claim.itemId);
    }
    throw error;
  }
}

function existingItem(input: ExchangeInput, userId: string, itemId: string): ExchangeResult {
  if (userId !== input.userId) {
    throw new InvalidArgumentError('exchange input', [
      { path: ['publicToken'], message: 'was already exchanged for another user' },
    ]);
  }
  return { userId, itemId, requestId: '', newlyExchanged: false };
}

function parseClaim(value: string | undefined): Claim | undefined {
  if (value === undefined) return undefined;
  try {
    const claim = JSON.parse(value) as Partial<Claim>;
    if (typeof claim.owner !== 'string' || typeof claim.leaseUntil !== 'number' || typeof claim.userId !== 'string')
      return undefined;
    if (claim.itemId !== undefined && typeof claim.itemId !== 'string') return undefined;
    return claim as Claim;
  } catch {
    return undefined;
  }
}
