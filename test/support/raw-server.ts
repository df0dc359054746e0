import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import {
  createPlaidFacade,
  MemoryTokenStore,
  type PlaidFacadeEvent,
  type PlaidFacadeOptions,
} from '../../src/index.js';

/** A real HTTP server on loopback whose answers a test scripts, for failures msw cannot fake. */
export async function startRawServer(
  handle: (request: IncomingMessage, response: ServerResponse, body: string, count: number) => void,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handle(request, response, body, ++count));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Raw servers for a test file: `serve(handle)` starts one (as `startRawServer`), closed after the
 * test that started it.
 */
export function useRawServers(): (handle: Parameters<typeof startRawServer>[0]) => ReturnType<typeof startRawServer> {
  const servers: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handle) => {
    const server = await startRawServer(handle);
    servers.push(server);
    return server;
  };
}

/** A loopback port with nothing listening on it: connecting is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Sends a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * A facade against `basePath` (a raw server, a closed port) as the failure suites want it: no
 * rate limit, a `MemoryTokenStore` the test can read, quick retries, and every event in `events`.
 * `options` override any of these.
 */
export function facadeOn(
  basePath: string,
  options: Partial<PlaidFacadeOptions> = {},
  events: PlaidFacadeEvent[] = [],
): { f: ReturnType<typeof createPlaidFacade>; store: MemoryTokenStore; events: PlaidFacadeEvent[] } {
  const store = new MemoryTokenStore();
  const f = createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    basePath,
    rateLimit: false,
    tokenStore: store,
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2 },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { f, store, events };
}
