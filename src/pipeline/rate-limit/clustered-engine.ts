import type Bottleneck from 'bottleneck';
import type { ClusteredConnection } from './clustered-connection.js';

/*
 * The bottleneck limiter behind one endpoint's shared window (clustered.ts), created on first
 * use and replaced when Redis lost its keys. bottleneck tells what happened to a job only through
 * its events; this file reads them, so that clustered.ts deals in plain facts.
 */

/** What an engine tells the window it serves. */
export interface EngineListener {
  /** bottleneck tried to register job `id`: `registered` says whether it found room. */
  drained(id: string, registered: boolean): void;
  /** Job `id`'s slot was freed in Redis. */
  freed(id: string): void;
  /** Another process sharing the window published `text` (a pause). */
  message(text: string): void;
  /** bottleneck failed outside a call of the window's (a drain, a free, its heartbeat). */
  failed(error: unknown): void;
}

/** The id and capacity of an endpoint's engine. */
export interface EngineSettings {
  /** Shared by every process that shares the window. */
  readonly id: string;
  /** bottleneck's `maxConcurrent`. */
  readonly limit: number;
}

/** Idle time after which bottleneck's keys of an engine expire in Redis (longer than any lease). */
const keyTtlMs = 11 * 60_000;

/** Whether bottleneck failed because Redis lost the engine's keys (Redis 7 prefixes `ERR `, which bottleneck misses). */
export const isLostKeys = (error: unknown): boolean =>
  error instanceof Error && error.message.includes('SETTINGS_KEY_NOT_FOUND');

/** One endpoint's bottleneck limiter, in clustering mode. */
export class ClusteredEngine {
  private engine: Promise<Bottleneck> | undefined;
  private live: Bottleneck | undefined;

  constructor(
    private readonly connection: ClusteredConnection,
    private readonly settings: EngineSettings,
    private readonly listener: EngineListener,
  ) {}

  /** The engine, created (and bottleneck loaded) on first use. */
  get(): Promise<Bottleneck> {
    this.engine ??= this.connection
      .engine({
        id: this.settings.id,
        maxConcurrent: this.settings.limit,
        clearDatastore: false,
        timeout: keyTtlMs,
        trackDoneStatus: false,
      })
      .then((created) => {
        this.live = created;
        // a replaced engine's events (its last frees failing, say) are no longer the window's
        const current = () => created === this.live;
        created.on('error', (error: unknown) => {
          if (current()) this.listener.failed(error);
        });
        created.on('debug', (message: string, data: unknown) => {
          if (current()) this.read(message, data);
        });
        created.on('message', (text: string) => {
          if (current()) this.listener.message(text);
        });
        return created;
      });
    return this.engine;
  }

  /** The engine if it exists. */
  get current(): Bottleneck | undefined {
    return this.live;
  }

  /**
   * Drops the engine, with its waiting jobs (its running ones end and free their slots); the next
   * `get()` creates a new one, which recreates keys Redis lost.
   */
  reset(): void {
    const old = this.engine;
    this.engine = undefined;
    this.live = undefined;
    void old?.then(
      (stale) => stale.stop({ dropWaitingJobs: true }).catch(() => {}),
      () => {},
    );
  }

  /**
   * bottleneck's `debug` events are the only place it says whether a job found room
   * (`Drained <id>` with `success`) and when a slot was freed (`Freed <id>`). Pinned version:
   * the contract tests fail if that changes.
   */
  private read(message: string, data: unknown): void {
    const info = data as { success?: unknown; options?: { id?: unknown } } | undefined;
    const id = info?.options?.id;
    if (typeof id !== 'string') return;
    if (message.startsWith('Freed ')) this.listener.freed(id);
    if (typeof info?.success === 'boolean') this.listener.drained(id, info.success);
  }
}
