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

/** Link's `onSuccess` metadata, the part the app keeps: which bank the user picked. */
interface LinkInstitution {
  name: string;
  institution_id: string;
}

/** The institution in Link's `onSuccess` metadata as the browser posted it, if it is well formed. */
function institutionOf(metadata: unknown): LinkInstitution | null {
  const institution = (metadata as { institution?: unknown } | null | undefined)?.institution;
  const { name, institution_id } = (institution ?? {}) as Partial<Record<keyof LinkInstitution, unknown>>;
  return typeof name === 'string' && typeof institution_id === 'string' ? { name, institution_id } : null;
}

/**
 * The Express app: the page and the endpoints a front end needs (link token, exchange, balances,
 * disconnect), plus a fake-only one that plays Link.
 */
export function createApp(options: AppOptions): express.Express {
  const { plaid, fake } = options;
  const currentUser = options.currentUser ?? (() => 'demo-user');
  // What a real service keeps in its database next to the user's itemId: the bank's name, from Link.
  const institutions = new Map<string, LinkInstitution | null>();
  const connectionKey = (userId: string, itemId: string): string => JSON.stringify([userId, itemId]);
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
    const userId = currentUser(request);
    const { itemId } = await plaid.exchange({ userId, publicToken });
    const institution = institutionOf(request.body?.metadata);
    institutions.set(connectionKey(userId, itemId), institution);
    response.json({ itemId, institution });
  });

  app.get('/api/balances', async (request, response) => {
    const itemId = request.query.itemId;
    if (typeof itemId !== 'string' || itemId === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'itemId is required' });
      return;
    }
    const userId = currentUser(request);
    const { accounts, fetchedAt } = await plaid.getBalances({ userId, itemId });
    const institution = institutions.get(connectionKey(userId, itemId)) ?? null;
    response.json({ fetchedAt: fetchedAt.toISOString(), institution, accounts });
  });

  app.post('/api/disconnect', async (request, response) => {
    const itemId: unknown = request.body?.itemId;
    if (typeof itemId !== 'string' || itemId === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'itemId is required' });
      return;
    }
    const userId = currentUser(request);
    // Removes the Item at Plaid (it stops being billed) and its access token from the store.
    await plaid.removeItem({ userId, itemId });
    institutions.delete(connectionKey(userId, itemId));
    response.json({ disconnected: itemId });
  });

  if (fake) {
    // Stands in for Plaid Link when running against the fake: "the user picked a bank". Answers what
    // Link's onSuccess gives the page: the public token and its metadata.
    app.post('/api/fake-link', (_request, response) => {
      response.json(fake.completeLink());
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
