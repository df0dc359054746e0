import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAnswer, FakePlaidCore } from './core.js';

/** Options of `fake.listen`. */
export interface ListenOptions {
  /** Port on 127.0.0.1. Default 0, so the system picks a free port. */
  port?: number;
}

/** A running fake Plaid server. */
export interface FakePlaidServer {
  /** Its base URL, e.g. `http://127.0.0.1:53124`: pass it as the facade's `basePath`. */
  url: string;
  /** Stops the server and drops any open connection. */
  close(): Promise<void>;
}

/** Serves the core over a real `node:http` server on loopback only. */
export async function listen(core: FakePlaidCore, options: ListenOptions = {}): Promise<FakePlaidServer> {
  const server = createServer((request, response) => {
    void serve(core, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(core: FakePlaidCore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const gone = new AbortController();
  response.on('close', () => gone.abort());
  const endpoint = new URL(request.url ?? '/', 'http://fake').pathname;
  const answer: FakeAnswer =
    request.method === 'POST'
      ? await core.handle({
          endpoint,
          header: (name) => {
            const value = request.headers[name.toLowerCase()];
            return Array.isArray(value) ? value[0] : value;
          },
          bodyText: Buffer.concat(chunks).toString('utf8'),
          signal: gone.signal,
        })
      : { kind: 'text', status: 405, contentType: 'text/plain', text: 'Plaid accepts POST only' };
  send(request, response, answer);
}

function send(request: IncomingMessage, response: ServerResponse, answer: FakeAnswer): void {
  if (response.destroyed) return;
  if (answer.kind === 'drop') {
    // No status line, no body: the client sees the connection reset.
    request.socket.destroy();
    return;
  }
  const text = answer.kind === 'json' ? JSON.stringify(answer.body) : answer.text;
  const contentType = answer.kind === 'json' ? 'application/json; charset=utf-8' : answer.contentType;
  response.writeHead(answer.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
