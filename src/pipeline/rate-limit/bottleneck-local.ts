import type Bottleneck from 'bottleneck';

/*
 * bottleneck 2.19.5 moves an in-process job along with `setTimeout(0)`: once per step in its
 * datastore (submit, register, free) and once more to start a job that may start now. Node clamps
 * `setTimeout(0)` to 1 ms, so every job waits several milliseconds on timers even when its limit
 * has room: about 4 ms per balance call, which passes two limits. `setImmediate` yields to the
 * event loop just the same, without the clamp. Only limiters kept in this process are changed
 * (Redis mode waits on Redis anyway), and only when bottleneck's internal shape is the one of
 * 2.19.5, the pinned version; otherwise they are left as they are, slower but correct.
 */

interface LocalStore {
  yieldLoop?: (delayMs?: number) => Promise<void>;
}

interface ScheduledJob {
  doRun(): void;
  doExecute(chained: unknown, clearGlobalState: () => boolean, run: unknown, free: unknown): Promise<void>;
  options: { id: string; expiration?: number | null };
  retryCount: number;
}

interface LimiterInternals {
  _store?: LocalStore;
  _run?: (index: string, job: ScheduledJob, wait: number) => unknown;
  _scheduled?: Record<string, unknown>;
  _limiter?: unknown;
  _clearGlobalState?: (index: string) => boolean;
  _free?: (index: string, job: ScheduledJob, ...rest: unknown[]) => unknown;
  jobStatus(id: string): string | null;
}

/**
 * Makes an in-process bottleneck limiter yield with `setImmediate` instead of `setTimeout(0)`.
 * Returns false, leaving the limiter as it is, when its internals are not the expected ones.
 */
export function speedUpLocalLimiter(limiter: Bottleneck): boolean {
  const internals = limiter as unknown as LimiterInternals;
  const store = internals._store;
  const originalRun = internals._run;
  if (
    !store ||
    typeof store.yieldLoop !== 'function' ||
    typeof originalRun !== 'function' ||
    typeof internals._clearGlobalState !== 'function' ||
    typeof internals._free !== 'function' ||
    typeof internals._scheduled !== 'object'
  ) {
    return false;
  }
  store.yieldLoop = (delayMs = 0) =>
    new Promise((resolve) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve)));
  // A first run that may start now (wait 0, no expiration: always so in process) starts on the
  // next turn of the event loop; any other goes through bottleneck's own timer.
  internals._run = function run(this: LimiterInternals, index, job, wait) {
    if (wait > 0 || job.options.expiration != null || job.retryCount !== 0) {
      return originalRun.call(this, index, job, wait);
    }
    job.doRun();
    const clearGlobalState = () => (this._clearGlobalState as (index: string) => boolean).call(this, index);
    const rerun = (this._run as (index: string, job: ScheduledJob, wait: number) => unknown).bind(this, index, job);
    const free = (this._free as (index: string, job: ScheduledJob) => unknown).bind(this, index, job);
    (this._scheduled as Record<string, unknown>)[index] = { timeout: undefined, expiration: undefined, job };
    setImmediate(() => {
      // stop({ dropWaitingJobs }) may have dropped the job meanwhile: then it must not start
      if (this.jobStatus(job.options.id) !== 'RUNNING') return;
      void job.doExecute(this._limiter, clearGlobalState, rerun, free);
    });
  };
  return true;
}
