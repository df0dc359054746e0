import type { Clock } from './clock.js';
import type { Permit } from './limit.js';

/*
 * The slots one process holds in an endpoint's shared window (clustered.ts): each is a bottleneck
 * job that runs until a window after its call's answer, and frees its slot in Redis when it ends.
 */

/** The slots of one window held by this process, and those being freed in Redis. */
export class Holds {
  private readonly open = new Set<Permit>();
  /** When each released slot's hold ends. */
  private readonly ending = new Map<Permit, number>();
  /** Jobs whose slot is being freed in Redis. */
  private readonly freeing = new Set<string>();
  private onFreed: (() => void) | undefined;
  /** Ends the job of each slot not yet ended. */
  private readonly enders = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /**
   * The permit of job `id`'s slot: `endHold` ends the job (so bottleneck frees the slot) a window
   * after `release()`, or at once on `cancel()`.
   */
  permit(id: string, endHold: () => void): Permit {
    let done = false;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.enders.delete(end);
      this.open.delete(permit);
      this.ending.delete(permit);
      this.freeing.add(id);
      endHold();
    };
    const permit: Permit = {
      release: () => {
        if (done) return;
        done = true;
        this.ending.set(permit, this.clock.now() + this.intervalMs);
        this.clock.setTimeout(end, this.intervalMs);
      },
      cancel: () => {
        if (done) return;
        done = true;
        end();
      },
    };
    this.open.add(permit);
    this.enders.add(end);
    return permit;
  }

  /** A job that never became a permit (nobody was left to use its slot) ends now. */
  endingNow(id: string): void {
    this.freeing.add(id);
  }

  /** bottleneck freed job `id`'s slot in Redis. */
  freed(id: string): void {
    this.freeing.delete(id);
    this.onFreed?.();
  }

  /** Slots being freed in Redis right now (tests wait for none). */
  get beingFreed(): number {
    return this.freeing.size;
  }

  /**
   * Ends every job still holding a slot, at once. Called once the connection is closed: bottleneck
   * can no longer free those slots (Redis frees them when their lease ends), and their jobs'
   * timers no longer keep the process alive.
   */
  endAll(): void {
    for (const end of [...this.enders]) end();
  }

  /** Releases every slot still held, as if its call had settled now. */
  releaseAll(): void {
    for (const permit of [...this.open]) permit.release();
  }

  /**
   * Resolves once every slot whose hold ends within `boundMs` has been freed in Redis, or after
   * `boundMs` of real time, whichever comes first; at once if no hold ends that soon.
   */
  whenFreed(boundMs: number): Promise<void> {
    const endsSoon = () => [...this.ending.values()].some((endsAt) => endsAt - this.clock.now() <= boundMs);
    if (!endsSoon()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, boundMs);
      timer.unref?.();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.onFreed = undefined;
        resolve();
      }
      this.onFreed = () => {
        if (!endsSoon() && this.freeing.size === 0) done();
      };
    });
  }
}
