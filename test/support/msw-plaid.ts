import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { PlaidFacade } from '../../src/index.js';

/** One request that reached the stubbed Plaid. */
export interface SeenRequest {
  path: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** What a scripted answer may be: a JSON body with a status, a raw text, or a dropped connection. */
export type Answer =
  | { status?: number; json: unknown }
  | { status?: number; text: string }
  | { networkError: true }
  | { delayMs: number; then: Answer };

export const BASE = 'https://sandbox.plaid.com';

/**
 * msw with scripted answers per Plaid path, for the facade's own tests of exact wire shapes
 * and failure paths. Answers are consumed in order; the last one repeats.
 */
export function useScriptedPlaid() {
  const scripts = new Map<string, Answer[]>();
  const seen: SeenRequest[] = [];
  const server = setupServer(
    http.post(`${BASE}/*`, async ({ request }) => {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      seen.push({ path, headers: request.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      const queue = scripts.get(path);
      if (!queue || queue.length === 0) return HttpResponse.json({ error: `no script for ${path}` }, { status: 599 });
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      return respond(answer as Answer, request.signal);
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    scripts.clear();
    seen.length = 0;
  });
  afterAll(() => server.close());
  return {
    seen,
    /** Sets the answers for a path, in order; the last repeats. */
    script(path: string, ...answers: Answer[]) {
      scripts.set(path, answers);
    },
  };
}

async function respond(answer: Answer, signal: AbortSignal): Promise<Response> {
  if ('delayMs' in answer) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, answer.delayMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    return respond(answer.then, signal);
  }
  if ('networkError' in answer) return HttpResponse.error();
  if ('text' in answer)
    return new HttpResponse(answer.text, { status: answer.status ?? 200, headers: { 'content-type': 'text/plain' } });
  return HttpResponse.json(answer.json as Record<string, unknown>, { status: answer.status ?? 200 });
}

/** A Plaid error body as Plaid sends it. */
export function plaidError(errorType: string, errorCode: string, status: number, extra: Record<string, unknown> = {}) {
  return {
    status,
    json: {
      error_type: errorType,
      error_code: errorCode,
      error_code_reason: null,
      error_message: `${errorCode.toLowerCase()} happened`,
      display_message: null,
      request_id: `req-${errorCode}`,
      causes: [],
      status,
      documentation_url: `https://plaid.com/docs/errors/#${errorCode}`,
      suggested_action: null,
      ...extra,
    },
  };
}

/** A valid `/accounts/balance/get` body for one Item. */
export function balanceBody(itemId: string, overrides: Record<string, unknown> = {}) {
  return {
    accounts: [
      {
        account_id: 'acc-checking',
        balances: {
          available: 100,
          current: 110,
          limit: null,
          iso_currency_code: 'USD',
          unofficial_currency_code: null,
          last_updated_datetime: null,
        },
        mask: '0000',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        type: 'depository',
        subtype: 'checking',
        persistent_account_id: 'p-1',
      },
    ],
    item: {
      item_id: itemId,
      institution_id: 'ins_109508',
      institution_name: 'First Platypus Bank',
      webhook: null,
      error: null,
      available_products: ['balance'],
      billed_products: ['auth'],
      products: ['auth'],
      consent_expiration_time: null,
      update_type: 'background',
      auth_method: null,
    },
    request_id: 'req-balance',
    ...overrides,
  };
}

/** The token values a leak check looks for in what a facade reported (plus the secret). */
export const leakProbe = {
  accessToken: 'access-sandbox-tok-4242',
  publicToken: 'public-sandbox-tok-1717',
  itemId: 'item-private-99',
} as const;

/**
 * Runs through `f` the calls that could leak `leakProbe`'s values: an exchange, a balance read
 * retried after a 500 whose message echoes the access token, and a balance read that fails.
 */
export async function callsThatCouldLeak(
  plaid: ReturnType<typeof useScriptedPlaid>,
  f: Pick<PlaidFacade, 'exchange' | 'getBalances'>,
): Promise<void> {
  const { accessToken, publicToken, itemId } = leakProbe;
  plaid.script('/item/public_token/exchange', {
    json: { access_token: accessToken, item_id: itemId, request_id: 'req-x' },
  });
  await f.exchange({ userId: 'user-1', publicToken });
  plaid.script(
    '/accounts/balance/get',
    plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 500, { error_message: `bad ${accessToken}` }),
    { json: balanceBody(itemId) },
  );
  await f.getBalances({ userId: 'user-1', itemId });
  plaid.script('/accounts/balance/get', plaidError('ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', 400));
  await expect(f.getBalances({ userId: 'user-1', itemId })).rejects.toThrow();
}
