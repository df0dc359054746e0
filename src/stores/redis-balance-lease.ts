import { randomUUID } from 'node:crypto';
import type { BalanceLease, BalanceLeaseOptions, CachedBalances } from './balance-cache.js';

/** The commands a lease uses, beyond `get`/`set`: all on the read's two keys, one hash slot. */
export interface LeaseClient {
  /** `SET key value PX ttl NX`: `'OK'` when set, `null` when the key exists. */
  set(key: string, value: string, mode: 'PX', ttlMs: number, nx: 'NX'): Promise<unknown>;
  /** `SET key value PX ttl`: the holder renewing its lease. */
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  /** `MGET key…`: the entry and the lease in one round trip (same slot: hash-tagged). */
  mget(...keys: string[]): Promise<Array<string | null>>;
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
}

/** How a lease is taken and waited for. */
export interface LeasePlan {
  entryKey: string;
  leaseKey: string;
  /** The bound of each Redis command: a slower Redis counts as no lease (read live). */
  commandTimeoutMs: number;
  decode: (text: string) => CachedBalances | undefined;
}

const goLive: BalanceLease = { held: false, value: undefined };
// The lease lives this long unless its holder renews it (every third of it) while it reads, so a
// holder that dies frees it within this time, however long a live read may take. Long enough that
// a holder whose event loop stalls for seconds (a loaded machine) keeps it.
const heartbeatTtlMs = 10_000;
// Polls for the holder's result: quickly at first, then at most every 200 ms.
const firstPollMs = 20;
const lastPollMs = 200;

/**
 * `SET lease NX PX ttl`: the first process to ask holds the lease and reads live (renewing it
 * while it reads); the others poll
 * the entry and the lease (`MGET`) until the entry appears (the holder's result), the lease is
 * gone without one (the holder failed, or died and the lease expired), `waitMs` ends, or the
 * signal aborts. Every way but the first ends in a live read; nothing here fails the read.
 */
export async function takeLease(
  client: LeaseClient,
  plan: LeasePlan,
  options: BalanceLeaseOptions,
): Promise<BalanceLease> {
  const { signal } = options;
  const deadline = Date.now() + Math.max(0, options.waitMs);
  const ttl = Math.max(1, Math.min(Math.ceil(options.ttlMs), heartbeatTtlMs));
  const token = randomUUID();
  const taken = await bounded(client.set(plan.leaseKey, token, 'PX', ttl, 'NX'), plan.commandTimeoutMs, (late) => {
    // Taken after we stopped waiting: give it back, nobody reads for it.
    if (late === 'OK') release(client, plan.leaseKey, token).catch(() => {});
  });
  if (taken === timedOut) return goLive;
  if (taken === 'OK') return hold(client, plan.leaseKey, token, ttl, options.ttlMs);
  let pause = firstPollMs;
  while (!signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) return goLive;
    await sleep(Math.min(pause, left), signal);
    pause = Math.min(pause * 2, lastPollMs);
    if (signal?.aborted) return goLive;
    const answer = await bounded(client.mget(plan.entryKey, plan.leaseKey), plan.commandTimeoutMs);
    if (answer === timedOut) return goLive;
    const [entry, lease] = answer;
    if (typeof entry === 'string') return { held: false, value: plan.decode(entry) };
    if (lease === null || lease === undefined) return goLive;
  }
  return goLive;
}

/**
 * The holder's side: renews the lease every third of its TTL while the read runs, for at most
 * `readBoundMs` (a holder that never releases still frees it then), and releases it when told.
 */
function hold(client: LeaseClient, leaseKey: string, token: string, ttl: number, readBoundMs: number): BalanceLease {
  const until = Date.now() + readBoundMs;
  const renew = async () => {
    if ((await client.get(leaseKey)) === token) await client.set(leaseKey, token, 'PX', ttl);
  };
  const timer = setInterval(
    () => {
      if (Date.now() >= until) clearInterval(timer);
      else renew().catch(() => {});
    },
    Math.max(1, Math.floor(ttl / 3)),
  );
  timer.unref?.();
  return {
    held: true,
    release: () => {
      clearInterval(timer);
      return release(client, leaseKey, token);
    },
  };
}

/** Deletes the lease if it is still this holder's (it may have expired and been taken again). */
async function release(client: LeaseClient, leaseKey: string, token: string): Promise<void> {
  if ((await client.get(leaseKey)) === token) await client.del(leaseKey);
}

const timedOut: unique symbol = Symbol('timed out');

/** `promise`, or `timedOut` after `ms`; a rejection counts as timed out too (read live). */
function bounded<T>(promise: Promise<T>, ms: number, late?: (value: T) => void): Promise<T | typeof timedOut> {
  return new Promise((resolve) => {
    let done = false;
    // An answer that arrived while the event loop was busy is read first: I/O callbacks run before
    // setImmediate's, so a loaded process does not mistake a prompt Redis for a slow one.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (done) return;
          done = true;
          resolve(timedOut);
        }),
      ms,
    );
    promise.then(
      (value) => {
        if (done) return late?.(value);
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(timedOut);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
