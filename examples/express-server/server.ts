import type { AddressInfo } from 'node:net';
import { createPlaidFacade, type PlaidFacade } from 'plaid-facade';
import { createFakePlaid, type FakePlaid } from 'plaid-facade/testing';
import { createApp } from './app.js';

/** Options of `startServer`. */
export interface StartServerOptions {
  /** Port on 127.0.0.1. Default 0: any free port. */
  port?: number;
  /**
   * Use the embedded fake Plaid. Default: true unless PLAID_CLIENT_ID and PLAID_SECRET are set, in
   * which case the service talks to Plaid's sandbox and the page opens the real Link.
   */
  fake?: boolean;
}

/** A running example service. */
export interface RunningServer {
  url: string;
  /** The fake Plaid behind the service, when it uses one (tests inject faults through it). */
  fake: FakePlaid | undefined;
  /** The fake Plaid's own URL, when the service uses one (tests call its sandbox endpoints). */
  fakeUrl: string | undefined;
  close(): Promise<void>;
}

/** Starts the example service (and, by default, a fake Plaid for it) on loopback. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const clientId = process.env.PLAID_CLIENT_ID;
  const secret = process.env.PLAID_SECRET;
  const useFake = options.fake ?? !(clientId && secret);
  const fake = useFake ? createFakePlaid() : undefined;
  const fakeServer = fake ? await fake.listen() : undefined;
  const plaid: PlaidFacade = createPlaidFacade({
    clientId: useFake ? 'example-client-id' : (clientId ?? ''),
    secret: useFake ? 'example-secret' : (secret ?? ''),
    environment: 'sandbox',
    clientName: 'plaid-facade example',
    ...(fakeServer ? { basePath: fakeServer.url } : {}),
  });
  // The webhook URL names the port, known only once listening: the app reads it through a holder.
  const address = { url: '' };
  const app = createApp({
    plaid,
    fake,
    get webhookUrl() {
      // Plaid's sandbox cannot reach loopback: a public URL (a tunnel) comes from PLAID_WEBHOOK_URL.
      if (process.env.PLAID_WEBHOOK_URL) return process.env.PLAID_WEBHOOK_URL;
      return useFake && address.url ? `${address.url}/plaid/webhook` : undefined;
    },
  });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  address.url = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    fake,
    fakeUrl: fakeServer?.url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await plaid.close();
      await fakeServer?.close();
    },
  };
}
