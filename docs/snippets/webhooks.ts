// Code of docs/webhooks.md. `app` is your Express app; `plaid` your facade; `enqueue` your queue;
// `request` what a Fetch API server hands you: the parameters of the functions below, which
// test/docs/docs-snippets-run.test.ts calls with a facade over the fake Plaid and signed webhooks from it.
import express from 'express';
import { type PlaidFacade, WebhookVerificationError } from 'plaid-facade';

export function webhookRoute({
  app,
  plaid,
  enqueue,
}: {
  app: express.Express;
  plaid: PlaidFacade;
  enqueue: (event: unknown) => Promise<void>;
}) {
  // #region express
  // Before app.use(express.json()): verification needs the bytes exactly as Plaid sent them.
  app.post('/plaid/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    try {
      const event = await plaid.webhooks.handle({ body: req.body, headers: req.headers });
      await enqueue(event); // answer within 10 s: heavier work belongs in a queue
      res.json({ received: true });
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        // WEBHOOK_KEY_UNAVAILABLE is retryable: a 5xx makes Plaid deliver the webhook again.
        res.status(error.retryable ? 503 : 400).json({ error: error.code });
        return;
      }
      throw error;
    }
  });
  app.use(express.json());
  // #endregion
}

export async function handleWithinDeadline({ plaid, request }: { plaid: PlaidFacade; request: Request }) {
  // #region signal
  // Plaid waits 10 s for an answer: stop waiting at 9 s and answer 5xx, so that Plaid delivers again.
  const event = await plaid.webhooks.handle(
    { body: await request.text(), headers: request.headers },
    { signal: AbortSignal.timeout(9_000) },
  );
  // #endregion
  return event;
}

export async function fetchHandler({ plaid, request }: { plaid: PlaidFacade; request: Request }) {
  // #region fetch
  // Fetch API servers (Hono, Next.js route handlers, Bun, Deno): read the text, pass the Headers.
  const event = await plaid.webhooks.verify({ body: await request.text(), headers: request.headers });
  // #endregion
  // #region narrow
  if (event.known && event.webhookCode === 'ERROR') {
    console.log(event.itemId, event.error?.errorCode); // typed: ITEM ERROR carries Plaid's error
  } else if (event.known && event.webhookCode === 'PENDING_DISCONNECT') {
    console.log(event.disconnectAt.toISOString());
  } else if (!event.known) {
    console.log(event.webhookType, event.webhookCode, event.raw); // any other type or code
  }
  // #endregion
}
