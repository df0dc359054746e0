import express, { type NextFunction, type Request, type Response } from 'express';
import {
  DuplicateItemError,
  isPlaidFacadeError,
  type LinkSuccessMetadata,
  type PlaidFacade,
  WebhookVerificationError,
} from 'plaid-facade';
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
  /** Where Plaid sends the Items' webhooks (this app's /plaid/webhook, as Plaid can reach it). */
  webhookUrl?: string | undefined;
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
 * disconnect, the user's Items with their health, "reconnect" through Link's update mode), Plaid's
 * webhook route, plus fake-only ones that play Link.
 */
export function createApp(options: AppOptions): express.Express {
  const { plaid, fake } = options;
  const currentUser = options.currentUser ?? (() => 'demo-user');
  // What a real service keeps in its database next to the user's itemId: the bank's name, from Link.
  const institutions = new Map<string, LinkInstitution | null>();
  const connectionKey = (userId: string, itemId: string): string => JSON.stringify([userId, itemId]);
  const app = express();

  // Plaid's webhooks. Registered before express.json(): verification needs the raw bytes Plaid
  // signed (its bodies are pretty-printed; parsed and serialised again, they never match).
  app.post('/plaid/webhook', express.raw({ type: () => true, limit: '1mb' }), async (request, response) => {
    try {
      const event = await plaid.webhooks.handle({ body: request.body, headers: request.headers });
      // Answer fast (Plaid waits 10 s at most): heavier work belongs in a queue.
      // LINK webhooks (ITEM_ADD_RESULT, SESSION_FINISHED) complete the session: each public token is
      // exchanged once, whether the browser, this webhook or /api/complete-link delivers it first.
      response.json({ received: true, webhookCode: event.webhookCode, applied: event.applied });
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        // Retryable only when Plaid's key could not be fetched: a 5xx makes Plaid deliver it again.
        response.status(error.retryable ? 503 : 400).json({ error: error.code });
        return;
      }
      throw error;
    }
  });

  app.use(express.json());

  app.get('/', (_request, response) => {
    response.type('html').send(renderPage(fake ? 'fake' : 'plaid'));
  });

  // With { itemId }: a link token for update mode, to reconnect an Item that needs its user
  // (and, with { selectAccounts: true }, to share accounts after NEW_ACCOUNTS_AVAILABLE).
  app.post('/api/link-token', async (request, response) => {
    const itemId: unknown = request.body?.itemId;
    const update = typeof itemId === 'string' && itemId !== '';
    const { linkToken, expiration } = await plaid.linkToken({
      userId: currentUser(request),
      ...(options.webhookUrl ? { webhook: options.webhookUrl } : {}),
      ...(update ? { itemId } : {}),
      ...(update && request.body?.selectAccounts === true ? { update: { accountSelectionEnabled: true } } : {}),
    });
    response.json({ linkToken, expiration: expiration.toISOString() });
  });

  // The user's bank connections and their health, from the token store (no Plaid call).
  app.get('/api/items', async (request, response) => {
    const items = await plaid.listItems({ userId: currentUser(request) });
    response.json({
      items: items.map((item) => ({
        itemId: item.itemId,
        institutionId: item.institutionId,
        status: item.health.status,
        needsReconnect: ['login_required', 'pending_disconnect', 'pending_expiration', 'error'].includes(
          item.health.status,
        ),
        since: item.health.since.toISOString(),
      })),
    });
  });

  // After Link's update mode succeeded: ask Plaid for the Item's state (free /item/get) rather
  // than trusting the browser, which clears the "reconnect" mark once Plaid agrees.
  app.post('/api/reconnected', async (request, response) => {
    const itemId: unknown = request.body?.itemId;
    if (typeof itemId !== 'string' || itemId === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'itemId is required' });
      return;
    }
    const { health } = await plaid.getItem({ userId: currentUser(request), itemId });
    response.json({ itemId, status: health.status });
  });

  app.post('/api/exchange', async (request, response) => {
    const publicToken: unknown = request.body?.publicToken;
    if (typeof publicToken !== 'string' || publicToken === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'publicToken is required' });
      return;
    }
    const userId = currentUser(request);
    // Link's metadata goes along: the duplicate guard and the stored accounts need it.
    const metadata = request.body?.metadata as LinkSuccessMetadata | undefined;
    const institution = institutionOf(metadata);
    let itemId: string;
    try {
      ({ itemId } = await plaid.exchange({ userId, publicToken, ...(metadata ? { metadata } : {}) }));
    } catch (error) {
      // The same bank and accounts again: nothing was exchanged; the user's existing Item is the one.
      if (!(error instanceof DuplicateItemError)) throw error;
      itemId = error.existingItemId;
    }
    institutions.set(connectionKey(userId, itemId), institution);
    response.json({ itemId, institution });
  });

  // A Link session the page did not see to its end (a reload, an OAuth redirect): Plaid knows what
  // it added (/link/token/get); each public token is exchanged once, whoever delivers it first.
  app.post('/api/complete-link', async (request, response) => {
    const linkToken: unknown = request.body?.linkToken;
    if (typeof linkToken !== 'string' || linkToken === '') {
      response.status(400).json({ error: 'INVALID_ARGUMENT', message: 'linkToken is required' });
      return;
    }
    const result = await plaid.completeLink({ linkToken });
    if (result.userId !== currentUser(request)) {
      response.status(404).json({ error: 'TOKEN_NOT_FOUND', message: 'No such Link session.' });
      return;
    }
    response.json({ status: result.status, itemIds: result.items.map((item) => item.itemId) });
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
    // With the link token: the session of that token ends with one Item, as at Plaid (so
    // /api/complete-link finds it after a reload).
    app.post('/api/fake-link', (request, response) => {
      const linkToken: unknown = request.body?.linkToken;
      if (typeof linkToken === 'string' && linkToken !== '') {
        const [success] = fake.finishLinkSession(linkToken, {
          items: [{ webhook: options.webhookUrl ?? null }],
        }).successes;
        response.json(success);
        return;
      }
      response.json(fake.completeLink({ webhook: options.webhookUrl ?? null }));
    });
    // Plays the user going through Link in update mode: their bank login works again.
    app.post('/api/fake-relink', (request, response) => {
      const itemId: unknown = request.body?.itemId;
      if (typeof itemId !== 'string' || !fake.items.some((item) => item.itemId === itemId)) {
        response.status(404).json({ error: 'TOKEN_NOT_FOUND', message: 'No such bank connection.' });
        return;
      }
      fake.setItemError(itemId, null);
      response.json({ itemId });
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
