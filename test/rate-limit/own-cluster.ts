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
    const children = ports.map((port) =>
      spawn(
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
      ),
    );
    const cluster = new OwnCluster(children, ports, dir);
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

  async stop(): Promise<void> {
    this.thaw();
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
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
