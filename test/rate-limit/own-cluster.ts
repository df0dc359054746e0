import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);

/**
 * A 3-master Redis Cluster of this test's own on loopback (no replicas), which the test may freeze
 * (SIGSTOP) without touching the CI's shared one. Each node also uses its port + 10000 (the bus).
 */
export class OwnCluster {
  private constructor(
    private readonly binary: string,
    private readonly children: ChildProcess[],
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(binary: string): Promise<OwnCluster> {
    const ports: number[] = [];
    while (ports.length < 3) {
      const port = await freePort();
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    const dir = mkdtempSync(join(tmpdir(), 'pf-own-cluster-'));
    const children = ports.map((port) => spawnNode(binary, port, dir));
    const cluster = new OwnCluster(binary, children, ports, dir);
    const cli = (...args: string[]) => run('redis-cli', args, { timeout: 10_000 });
    for (const port of ports) await until(() => cli('-p', String(port), 'ping').then((r) => r.stdout.includes('PONG')));
    await cli(
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    );
    await until(() =>
      cli('-p', String(ports[0]), 'cluster', 'info').then((r) => r.stdout.includes('cluster_state:ok')),
    );
    return cluster;
  }

  get nodes(): Array<{ host: string; port: number }> {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  /** Freezes every master: connections stay open, nothing is answered. */
  freeze(): void {
    for (const child of this.children) child.kill('SIGSTOP');
  }

  thaw(): void {
    for (const child of this.children) child.kill('SIGCONT');
  }

  /**
   * Kills every master (SIGKILL), then starts each again on its port with its `nodes.conf`, so the
   * Cluster comes back with the same slots and no data (the keys are lost, as in a crash without
   * persistence); resolves once the Cluster reports `cluster_state:ok`.
   */
  async killAndRestart(downMs: number): Promise<void> {
    await Promise.all(this.children.map((child) => exited(child, 'SIGKILL')));
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.children.splice(0, this.children.length, ...this.ports.map((port) => spawnNode(this.binary, port, this.dir)));
    const cli = (...args: string[]) => run('redis-cli', args, { timeout: 10_000 });
    await until(() =>
      cli('-p', String(this.ports[0]), 'cluster', 'info').then((r) => r.stdout.includes('cluster_state:ok')),
    );
  }

  async stop(): Promise<void> {
    this.thaw();
    await Promise.all(this.children.map((child) => exited(child, 'SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Until `check` resolves true (errors count as false), for at most 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the own Redis Cluster did not come up within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends `signal` and resolves once the process has exited. */
function exited(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** One master of the own Cluster on `port`, its cluster state in `dir`. */
function spawnNode(binary: string, port: number, dir: string): ChildProcess {
  return spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '2000',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
}
