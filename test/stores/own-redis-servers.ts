import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../support/free-port.js';
import { spawnRedisServer } from '../support/redis-server-process.js';

/** One redis-server of a test's own, on a free loopback port, without persistence. */
export class OwnRedisServer {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /** Starts a server with extra `args` and waits until it accepts commands (at most 10 s). */
  static async start(binary: string, args: string[] = []): Promise<OwnRedisServer> {
    const port = await freePort();
    const child = await spawnRedisServer(binary, port, args);
    return new OwnRedisServer(port, child);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  thaw(): void {
    this.child.kill('SIGCONT');
  }

  /** Stops the server (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Polls `check` every 20 ms until it is true; fails after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A primary and one replica of it, the replica's link up. */
export async function startPrimaryAndReplica(
  binary: string,
): Promise<{ primary: OwnRedisServer; replica: OwnRedisServer }> {
  const primary = await OwnRedisServer.start(binary);
  const replica = await OwnRedisServer.start(binary, ['--replicaof', '127.0.0.1', String(primary.port)]);
  const probe = new Redis(replica.url, { maxRetriesPerRequest: 1 });
  try {
    await until(async () => (await probe.info('replication')).includes('master_link_status:up'), 'replica link');
  } finally {
    probe.disconnect();
  }
  return { primary, replica };
}
