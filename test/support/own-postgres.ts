import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { servicesRequired } from './services.js';

/*
 * A PostgreSQL server of a test's own, in a temporary directory, on a free loopback port: the
 * fault tests stop, freeze and restart it, which they must never do to the shared server of
 * .ci/services.sh. PostgreSQL refuses to run as root, so as root (as in this repository's
 * containers) every command runs as the `postgres` user the Debian package creates, through
 * `runuser`; as any other user (a CI runner), as that user.
 */

/** How to run PostgreSQL's commands here, or why they cannot run. */
export type PostgresBinaries = { ok: true; bin: string; asUser: string | undefined } | { ok: false; reason: string };

/** The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else the directory of `initdb` on PATH. */
function binDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    return initdb ? initdb.slice(0, initdb.lastIndexOf('/')) : undefined;
  } catch {
    return undefined;
  }
}

/** Finds initdb, pg_ctl and postgres, and the user to run them as. */
export function postgresBinaries(): PostgresBinaries {
  const bin = binDirectory();
  if (!bin) return { ok: false, reason: 'no PostgreSQL server binaries (initdb, pg_ctl) are installed' };
  for (const name of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(bin, name))) return { ok: false, reason: `${join(bin, name)} is missing` };
  }
  if (process.getuid?.() !== 0) return { ok: true, bin, asUser: undefined };
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    execFileSync('sh', ['-c', 'command -v runuser'], { stdio: 'ignore' });
  } catch {
    return { ok: false, reason: 'running as root, and there is no postgres user or no runuser to run PostgreSQL as' };
  }
  return { ok: true, bin, asUser: 'postgres' };
}

/**
 * `postgresBinaries()` for the suite named `suite`: when they cannot run, says why and that the
 * suite is skipped, or throws where services are required (CI=true).
 */
export function postgresBinariesFor(suite: string): PostgresBinaries {
  const binaries = postgresBinaries();
  if (!binaries.ok) {
    const reason = `${suite}: skipped, ${binaries.reason} (\`source .ci/services.sh\` installs PostgreSQL)`;
    if (servicesRequired) throw new Error(`${reason} — but CI=true requires it`);
    console.warn(reason);
  }
  return binaries;
}

/** The processes whose parent is `pid`, from /proc (Linux, as PostgreSQL's test servers here are). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Every command gets at most this long: nothing here may hang a test run. */
const commandTimeoutMs = 60_000;

export class OwnPostgres {
  #frozen = false;
  readonly #onExit = () => this.#killNow();

  private constructor(
    private readonly binaries: Extract<PostgresBinaries, { ok: true }>,
    private readonly directory: string,
    readonly port: number,
  ) {}

  /** Creates a cluster (trust auth, loopback only, no fsync) and starts it. */
  static async start(binaries: Extract<PostgresBinaries, { ok: true }>): Promise<OwnPostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'plaid-facade-pg-'));
    const own = new OwnPostgres(binaries, directory, await freePort());
    // Whatever happens to the test run, the server and its directory do not outlive the process.
    process.once('exit', own.#onExit);
    try {
      if (binaries.asUser) {
        const uid = Number(execFileSync('id', ['-u', binaries.asUser], { encoding: 'utf8' }).trim());
        const gid = Number(execFileSync('id', ['-g', binaries.asUser], { encoding: 'utf8' }).trim());
        await chown(directory, uid, gid);
      }
      await own.#run('initdb', [
        '-D',
        own.#data,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
      ]);
      await own.restart();
      return own;
    } catch (error) {
      await own.destroy();
      throw error;
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get #data(): string {
    return join(this.directory, 'data');
  }

  /** Starts the server (again, on the same port and data) and waits until it accepts connections. */
  async restart(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.#run('pg_ctl', [
      '-D',
      this.#data,
      '-l',
      join(this.directory, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  }

  /** `pg_ctl stop -m immediate`: every server process quits at once, as in a crash. */
  async stop(): Promise<void> {
    this.thaw();
    await this.#run('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
  }

  /**
   * SIGSTOP to every server process: the postmaster first (so that it starts no new backend),
   * then its children (each backend leads a process group of its own, so one signal to a group
   * would not reach them). Connections are still accepted by the kernel, but nothing answers, as
   * with a server that hangs.
   */
  freeze(): void {
    const postmaster = this.#postmasterPid();
    process.kill(postmaster, 'SIGSTOP');
    this.#frozen = true;
    for (const child of childrenOf(postmaster)) process.kill(child, 'SIGSTOP');
  }

  /** SIGCONT to every server process: the frozen server goes on where it stopped. */
  thaw(): void {
    if (!this.#frozen) return;
    const postmaster = this.#postmasterPid();
    for (const child of childrenOf(postmaster)) process.kill(child, 'SIGCONT');
    process.kill(postmaster, 'SIGCONT');
    this.#frozen = false;
  }

  /** Stops the server if it runs and removes its directory. Never throws. */
  async destroy(): Promise<void> {
    try {
      this.thaw();
      if (existsSync(join(this.#data, 'postmaster.pid'))) await this.stop();
    } catch {
      this.#killNow();
    }
    process.off('exit', this.#onExit);
    rmSync(this.directory, { recursive: true, force: true });
  }

  #postmasterPid(): number {
    const pid = Number(readFileSync(join(this.#data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('no postmaster.pid');
    return pid;
  }

  /** Synchronously: SIGCONT and SIGQUIT (immediate shutdown) to the postmaster, then the directory away. */
  #killNow(): void {
    try {
      const pid = this.#postmasterPid();
      for (const child of childrenOf(pid)) process.kill(child, 'SIGCONT');
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGQUIT');
    } catch {
      // not running
    }
    rmSync(this.directory, { recursive: true, force: true });
  }

  #run(command: string, args: string[]): Promise<void> {
    const path = join(this.binaries.bin, command);
    const [file, argv] = this.binaries.asUser
      ? ['runuser', ['-u', this.binaries.asUser, '--', path, ...args]]
      : [path, args];
    return new Promise((resolve, reject) => {
      execFile(file, argv, { timeout: commandTimeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.at(-1)} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve();
      });
    });
  }
}
