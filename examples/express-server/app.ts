import express, { type NextFunction, type Request, type Response } from 'express';
import { isPlaidFacadeError, type PlaidFacade } from 'plaid-facade';
import type { FakePlaid } from 'plaid-facade/testing';
import { renderPage } from './page.js';

/** What the app needs: a facade, and, when it runs against the fake, the fake (for its "Link"). */
export interface AppOptions {
  plaid: PlaidFacade;
  fake?: FakePlaid | undefined;
  /**
   * Who the current user is. A real service reads its session here; never trust a user id sent by
   * the browser. The example has one user.
   */
  currentUser?: (request: Request) => string;
}

/** The Express app: the page and the three endpoints a front end needs (plus a fake-only one). */
export function createApp(options: AppOptions): express.Express {
  const { plaid, fake } = options;
  const currentUser = options.currentUser ?? (() => 'demo-user');
  const app = express();
  app.use(express.json());

  app.get('/', (_request, response) => {
    response.type('html').send(renderPage(fake ? 'fake' : 'plaid'));
  });

  app.post('/api/link-token', async (request, response) => {
    const { linkToken, expiration } = await plaid.linkToken({ userId: currentUser(request) });
    response.json({ linkToken, expiration: expiration.toISOString() });
  });

  app.post('/api/exchange', async (request, response) => {
    const publicToken: unknown = request.body?.publicToken;
    if (typeof publicToken !== 'string' || publicToken === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'publicToken is required' });
      return;
    }
    const { itemId } = await plaid.exchange({ userId: currentUser(request), publicToken });
    response.json({ itemId });
  });

  app.get('/api/balances', async (request, response) => {
    const itemId = request.query.itemId;
    if (typeof itemId !== 'string' || itemId === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'itemId is required' });
      return;
    }
    const { accounts, fetchedAt } = await plaid.getBalances({ userId: currentUser(request), itemId });
    response.json({ fetchedAt: fetchedAt.toISOString(), accounts });
  });

  if (fake) {
    // Stands in for Plaid Link when running against the fake: "the user picked a bank".
    app.post('/api/fake-link', (_request, response) => {
      response.json({ publicToken: fake.createPublicToken() });
    });
  }

  app.use(errorHandler);
  return app;
}

/**
 * Turns plaid-facade errors into answers for the browser: the end-user message Plaid provides
 * when there is one, never internal details. Other errors are 500s.
 */
function errorHandler(error: unknown, _request: Request, response: Response, _next: NextFunction): void {
  if (isPlaidFacadeError(error)) {
    const status = error.code === 'TOKEN_NOT_FOUND' ? 404 : error.code === 'INVALID_ARGUMENT' ? 400 : 502;
    const display = (error as { displayMessage?: string | null }).displayMessage;
    const fallback = status === 404 ? 'No such bank connection.' : 'The bank connection failed. Please try again.';
    response.status(status).json({ error: error.code, message: display ?? fallback });
    return;
  }
  console.error(error);
  response.status(500).json({ error: 'INTERNAL', message: 'Something went wrong.' });
}
