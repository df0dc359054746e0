import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fakeProcess = fileURLToPath(new URL('./fake-plaid-process.ts', import.meta.url));

/** Starts the fake Plaid in its own process; resolves with its URL, two public tokens and a stop function. */
export function startFake(
  latencyMs: number,
  accounts?: number,
): Promise<{ url: string; publicTokens: string[]; stop: () => Promise<void> }> {
  const args = [fakeProcess, String(latencyMs), ...(accounts === undefined ? [] : [String(accounts)])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (line && output.includes('\n')) {
        const { url, publicTokens } = JSON.parse(line) as { url: string; publicTokens: string[] };
        resolve({
          url,
          publicTokens,
          stop: async () => {
            child.stdin.end();
            await exited;
          },
        });
      }
    });
  });
}
