import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Spawns a redis-server on loopback `port`, without persistence, with extra `args`, and waits
 * until it accepts commands (at most 10 s). The own-server helpers of the fault and store tests
 * share this start.
 */
export async function spawnRedisServer(binary: string, port: number, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // the caller never gets this child: do not leave it running
      reject(new Error('redis-server did not start within 10 s'));
    }, 10_000);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}`));
    });
  });
  child.stdout?.resume();
  return child;
}
