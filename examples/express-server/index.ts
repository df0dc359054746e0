/**
 * The Express example, run directly: `node --import tsx examples/express-server/index.ts`
 * (PORT=3000 by default). Open the printed URL and click "Connect a bank".
 */
import { pathToFileURL } from 'node:url';
import { startServer } from './server.js';

export { type AppOptions, createApp } from './app.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startServer({ port: Number(process.env.PORT ?? 3000) });
  console.log(`plaid-facade example on ${running.url} (${running.fake ? 'fake Plaid' : "Plaid's sandbox"})`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
