import { type ChildProcess, execFileSync } from 'node:child_process';
import { freePort } from '../support/free-port.js';
import { spawnRedisServer } from '../support/redis-server-process.js';

/** The redis-server binary, or undefined when none is installed (the fault suites then skip). */
export function redisServerBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A redis-server of this test's own, on a free loopback port, without persistence: the fault
 * tests stop, freeze, flush and restart it, which they must never do to the shared server.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async start(binary: string): Promise<OwnRedis> {
    const own = new OwnRedis(binary, await freePort());
    await own.restart();
    return own;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port) and waits until it accepts commands. */
  async restart(): Promise<void> {
    this.child = await spawnRedisServer(this.binary, this.port);
  }

  /** Stops the server (SIGKILL: as a crash, nothing saved) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the server: connections stay open but nothing is answered (a partition). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }
}
