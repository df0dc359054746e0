import { breakSchema, nonJsonBody } from './broken-bodies.js';
import { errorBody, FakePlaidErrorAnswer, plaidError } from './errors.js';
import { FaultQueue, type ResolvedFault, resolveFault } from './faults.js';
import { accountsBalanceGet } from './handlers/accounts-balance-get.js';
import { accountsGet } from './handlers/accounts-get.js';
import type { EndpointHandler } from './handlers/handler.js';
import { itemGet } from './handlers/item-get.js';
import { itemProductsTerminate } from './handlers/item-products-terminate.js';
import { itemPublicTokenExchange } from './handlers/item-public-token-exchange.js';
import { itemRemove } from './handlers/item-remove.js';
import { linkTokenCreate } from './handlers/link-token-create.js';
import { linkTokenGet } from './handlers/link-token-get.js';
import { sandboxItemFireWebhook } from './handlers/sandbox-item-fire-webhook.js';
import { sandboxItemResetLogin } from './handlers/sandbox-item-reset-login.js';
import { sandboxPublicTokenCreate } from './handlers/sandbox-public-token-create.js';
import { signalEvaluate } from './handlers/signal-evaluate.js';
import { signalDecisionReport, signalReturnReport } from './handlers/signal-reports.js';
import { userCreate } from './handlers/user-create.js';
import { webhookVerificationKeyGet } from './handlers/webhook-verification-key-get.js';
import { itemErrorFor } from './item-health.js';
import { FakeRateLimits } from './rate-limits.js';
import {
  type FakeRequest,
  type JsonBody,
  parseRequestBody,
  readCredentials,
  rejectUnknownFields,
  requireFields,
} from './request.js';
import { FakePlaidState } from './state.js';
import type { FakeCall, FakeErrorBody, FakePlaidEndpoint, FakePlaidOptions } from './types.js';

/** What an adapter must send back. */
export type FakeAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'text'; status: number; contentType: string; text: string }
  | { kind: 'drop' };

/** The endpoints the fake answers, and their handlers. */
export const endpointHandlers: Record<FakePlaidEndpoint, EndpointHandler> = {
  '/link/token/create': linkTokenCreate,
  '/item/public_token/exchange': itemPublicTokenExchange,
  '/accounts/balance/get': accountsBalanceGet,
  '/accounts/get': accountsGet,
  '/item/remove': itemRemove,
  '/item/products/terminate': itemProductsTerminate,
  '/sandbox/public_token/create': sandboxPublicTokenCreate,
  '/item/get': itemGet,
  '/webhook_verification_key/get': webhookVerificationKeyGet,
  '/sandbox/item/fire_webhook': sandboxItemFireWebhook,
  '/sandbox/item/reset_login': sandboxItemResetLogin,
  '/signal/evaluate': signalEvaluate,
  '/signal/decision/report': signalDecisionReport,
  '/signal/return/report': signalReturnReport,
  '/link/token/get': linkTokenGet,
  '/user/create': userCreate,
};

/** The fake's core, shared by the msw handlers and the HTTP server: one request in, one answer out. */
export class FakePlaidCore {
  readonly state: FakePlaidState;
  readonly faults = new FaultQueue();
  readonly rateLimits = new FakeRateLimits();
  readonly calls: FakeCall[] = [];
  /** Successful `/accounts/balance/get` reads carried out: what Plaid bills. */
  billedCalls = 0;
  private readonly options: FakePlaidOptions;

  constructor(options: FakePlaidOptions) {
    this.options = options;
    this.state = new FakePlaidState(options);
  }

  /** Answers one request, after any latency and fault. */
  async handle(request: FakeRequest): Promise<FakeAnswer> {
    const at = this.state.now();
    const call = this.startCall(request, at);
    const handler = endpointHandlers[request.endpoint as FakePlaidEndpoint] as EndpointHandler | undefined;
    const queued = handler ? this.faults.take(request.endpoint) : undefined;
    const fault: ResolvedFault | undefined = queued === undefined ? undefined : resolveFault(queued, request.endpoint);
    const delay = (this.options.latencyMs ?? 0) + (fault?.kind === 'latency' ? fault.ms : 0);
    if (delay > 0) await sleep(delay, request.signal);

    let answer: FakeAnswer;
    if (!handler) answer = errorAnswer(errorBody('NOT_FOUND', {}, request.endpoint));
    else if (fault?.kind === 'answer') answer = { kind: 'json', status: fault.status, body: fault.body };
    else if (fault?.kind === 'non-json')
      answer = { kind: 'text', status: 200, contentType: 'text/html', text: nonJsonBody };
    else if (fault?.kind === 'drop' && !fault.processFirst) answer = { kind: 'drop' };
    else {
      answer = this.process(request, handler);
      // Billed once carried out, whether or not the answer then reaches the caller.
      if (request.endpoint === '/accounts/balance/get' && answer.kind === 'json' && answer.status === 200) {
        this.billedCalls += 1;
      }
      if (fault?.kind === 'drop') answer = { kind: 'drop' };
      if (fault?.kind === 'bad-schema' && answer.kind === 'json' && answer.status === 200) {
        answer = { ...answer, body: breakSchema(request.endpoint, answer.body as JsonBody) };
      }
    }
    this.finishCall(call, answer);
    return answer;
  }

  /** Checks the request as Plaid does, then lets the endpoint answer. Synchronous: no interleaving. */
  private process(request: FakeRequest, handler: EndpointHandler): FakeAnswer {
    try {
      const body = parseRequestBody(request.bodyText);
      const credentials = readCredentials(request, body);
      const missing = [...(credentials.clientId ? [] : ['client_id']), ...(credentials.secret ? [] : ['secret'])];
      requireFields(missing);
      rejectUnknownFields(body, handler.allowed);
      const wrongId = this.options.clientId !== undefined && credentials.clientId !== this.options.clientId;
      const wrongSecret = this.options.secret !== undefined && credentials.secret !== this.options.secret;
      if (wrongId || wrongSecret) throw plaidError('INVALID_API_KEYS');
      const accessToken = typeof body.access_token === 'string' ? body.access_token : undefined;
      const limited = this.rateLimits.check(request.endpoint, accessToken, this.state.now().getTime());
      if (limited) return errorAnswer(limited);
      const broken = itemErrorFor(this.state, request.endpoint, accessToken);
      if (broken) throw plaidError(broken);
      const answer = handler.handle(body, this.state);
      return { kind: 'json', status: handler.status?.(answer) ?? 200, body: answer };
    } catch (error) {
      if (error instanceof FakePlaidErrorAnswer) return errorAnswer(error.body);
      const body = errorBody('INTERNAL_SERVER_ERROR');
      return errorAnswer({ ...body, error_message: `fake Plaid failed: ${String(error)}` });
    }
  }

  private startCall(request: FakeRequest, at: Date): FakeCall {
    let body: JsonBody | undefined;
    try {
      body = parseRequestBody(request.bodyText);
    } catch {
      body = undefined;
    }
    // The secret never enters the log, whichever way it came.
    const { secret: _secret, ...withoutSecret } = body ?? {};
    const clientId =
      request.header('plaid-client-id') ?? (typeof body?.client_id === 'string' ? body.client_id : undefined);
    return {
      endpoint: request.endpoint,
      body: body ? withoutSecret : undefined,
      clientId,
      plaidVersion: request.header('plaid-version'),
      status: undefined,
      errorCode: undefined,
      requestId: undefined,
      at,
    };
  }

  private finishCall(call: FakeCall, answer: FakeAnswer): void {
    if (answer.kind !== 'drop') call.status = answer.status;
    if (answer.kind === 'json' && typeof answer.body === 'object' && answer.body !== null) {
      const body = answer.body as { error_code?: unknown; request_id?: unknown };
      if (typeof body.error_code === 'string') call.errorCode = body.error_code;
      if (typeof body.request_id === 'string') call.requestId = body.request_id;
    }
    this.calls.push(call);
  }

  /** Forgets Items, tokens, faults, rate limits and calls. */
  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.rateLimits.clear();
    this.calls.length = 0;
    this.billedCalls = 0;
  }
}

function errorAnswer(body: FakeErrorBody): FakeAnswer {
  return { kind: 'json', status: body.status, body };
}

/** Waits `ms`, or less if the client goes away (the request is still carried out, as at Plaid). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
