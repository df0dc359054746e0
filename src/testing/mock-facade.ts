import { isPlaidFacadeError, UnexpectedError } from '../errors.js';
import type { CallOptions } from '../options.js';
import type { AllBalancesResult, BalancesInput, BalancesResult } from '../types.js';
import type {
  Method,
  MockFacade,
  MockFacadeCalls,
  MockFacadeOverrides,
  MockImplementation,
  Signatures,
} from './mock-facade-types.js';
import { MOCK_NOW, mockAccounts, mockItemDetails, readWebhook } from './mock-results.js';

export type { MockFacade, MockFacadeCalls, MockFacadeOverrides, MockImplementation } from './mock-facade-types.js';
export { MOCK_NOW, mockAccounts } from './mock-results.js';

/**
 * Creates a mock facade. Without overrides every method resolves with a deterministic result
 * shaped exactly like the real one (Dates where the real results have Dates); ids count up per
 * mock (`mock-item-1`, `mock-request-1`, ...). An override replaces a method; throw from it to
 * simulate a failure (e.g. `throw new PlaidApiError(...)` from `plaid-facade`). `webhooks.verify`
 * and `webhooks.handle` (overridable as `verifyWebhook` and `handleWebhook`) parse the body into a
 * typed event without checking its signature; `handle` changes nothing (`applied: false`), and
 * `listItems` lists the Items this mock's `exchange` made, healthy, with `institutionName`,
 * `createdAt` and `consent` once `getItem` has read them (as the real facade stores them).
 *
 * @example
 * const plaid = createMockFacade({ getBalances: async () => { throw new TokenNotFoundError('u1', 'i1'); } });
 * await myService(plaid);
 * assert.equal(plaid.calls.getBalances.length, 1);
 */
export function createMockFacade(overrides: MockFacadeOverrides = {}): MockFacade {
  let requests = 0;
  let items = 0;
  let links = 0;
  let closes = 0;
  /** Item ids the default `exchange` made, per user, for the default `getAllBalances`. */
  const linked = new Map<string, string[]>();
  // Items whose getItem ran: listItems then shows what the real facade stores from /item/get.
  const described = new Set<string>();
  const describedKey = (userId: string, itemId: string) => JSON.stringify([userId, itemId]);
  const exchanged = new Map<string, string>();
  const linkUsers = new Map<string, string>();
  const plaidUsers = new Map<string, string>();
  /** The current `getBalances` (override or default), with `source` filled in. */
  const balances = async (input: BalancesInput, options: CallOptions | undefined): Promise<BalancesResult> => {
    const implementation = current.getBalances ?? defaults.getBalances;
    const result = await implementation(input, options);
    return { ...result, source: result.source ?? 'live' };
  };
  const requestId = (): string => {
    requests += 1;
    return `mock-request-${requests}`;
  };
  const defaults: { [M in Method]: MockImplementation<M> } = {
    linkToken: (input) => {
      const linkToken = `link-sandbox-mock-${++links}`;
      linkUsers.set(linkToken, input.userId);
      return {
        linkToken,
        expiration: new Date(MOCK_NOW.getTime() + 4 * 60 * 60 * 1000),
        requestId: requestId(),
        ...(input.hostedLink ? { hostedLinkUrl: `https://hosted.plaid.com/link/${linkToken}` } : {}),
      };
    },
    exchange: (input) => {
      // Each public token is exchanged once, as the facade does: a second delivery gets the same Item.
      const known = exchanged.get(input.publicToken);
      if (known) return { userId: input.userId, itemId: known, requestId: '', newlyExchanged: false };
      const itemId = `mock-item-${++items}`;
      exchanged.set(input.publicToken, itemId);
      linked.set(input.userId, [...(linked.get(input.userId) ?? []), itemId]);
      return { userId: input.userId, itemId, requestId: requestId(), newlyExchanged: true };
    },
    getBalances: (input) => ({
      userId: input.userId,
      itemId: input.itemId,
      requestId: requestId(),
      fetchedAt: new Date(MOCK_NOW),
      accounts: mockAccounts().filter((account) => !input.accountIds || input.accountIds.includes(account.accountId)),
      source: 'live',
    }),
    getAccounts: (input) => ({
      userId: input.userId,
      itemId: input.itemId,
      requestId: requestId(),
      fetchedAt: new Date(MOCK_NOW),
      accounts: mockAccounts().filter((account) => !input.accountIds || input.accountIds.includes(account.accountId)),
      source: 'plaid-cache',
    }),
    // The Items this mock's exchange made for the user, each read with the current getBalances
    // (an override included, so that one failing Item shows as a partial result).
    getAllBalances: async (input, options) => {
      const results = await Promise.all(
        (linked.get(input.userId) ?? []).map(async (itemId): Promise<AllBalancesResult['items'][number]> => {
          try {
            const read = await balances({ userId: input.userId, itemId, maxAgeMs: input.maxAgeMs }, options);
            const { requestId: id, fetchedAt, source, accounts } = read;
            return { itemId, ok: true, requestId: id, fetchedAt, source, accounts };
          } catch (error) {
            const failure = isPlaidFacadeError(error) ? error : new UnexpectedError('mock getBalances', error);
            return { itemId, ok: false, error: failure };
          }
        }),
      );
      return {
        userId: input.userId,
        partial: results.some((result) => !result.ok),
        accounts: results.flatMap((r) => (r.ok ? r.accounts.map((account) => ({ ...account, itemId: r.itemId })) : [])),
        items: results,
      };
    },
    removeItem: (input) => ({ userId: input.userId, itemId: input.itemId, requestId: requestId() }),
    getItem: (input) => {
      described.add(describedKey(input.userId, input.itemId));
      return {
        userId: input.userId,
        itemId: input.itemId,
        institutionId: 'ins_109508',
        ...mockItemDetails(),
        health: { status: 'healthy', since: new Date(MOCK_NOW) },
        requestId: requestId(),
      };
    },
    // The Items this mock's exchange made for the user, healthy; with getItem's details once it ran.
    listItems: (input) =>
      (linked.get(input.userId) ?? []).map((itemId) => ({
        itemId,
        institutionId: 'ins_109508',
        health: { status: 'healthy' as const, since: new Date(MOCK_NOW) },
        accounts: [],
        ...(described.has(describedKey(input.userId, itemId)) ? mockItemDetails() : {}),
      })),
    // ACCEPT with a Balance-only ruleset's shape: the balances used, no scores.
    evaluatePayment: (input) => ({
      result: 'ACCEPT',
      rulesetKey: input.rulesetKey ?? 'default',
      triggeredRule: null,
      balances: { available: 100, current: 110, lastUpdated: new Date(MOCK_NOW) },
      scores: null,
      coreAttributes: {},
      warnings: [],
      requestId: requestId(),
      userId: input.userId,
      itemId: input.itemId,
      paymentId: input.paymentId,
    }),
    reportPaymentDecision: (input) => ({ paymentId: input.paymentId, requestId: requestId() }),
    reportReturn: (input) => ({ paymentId: input.paymentId, requestId: requestId() }),
    // A session still open: nothing to exchange yet (override it to play a finished one).
    completeLink: (input) => ({
      userId: linkUsers.get(input.linkToken) ?? 'mock-user',
      status: 'pending',
      items: [],
    }),
    ensureUser: (input) => {
      const known = plaidUsers.get(input.userId);
      if (known) return { userId: input.userId, plaidUserId: known, created: false };
      const plaidUserId = `mock-plaid-user-${plaidUsers.size + 1}`;
      plaidUsers.set(input.userId, plaidUserId);
      return { userId: input.userId, plaidUserId, created: true };
    },
    verifyWebhook: (request) => readWebhook(request),
    handleWebhook: (request) => ({ ...readWebhook(request), userId: undefined, health: undefined, applied: false }),
  };
  const emptyCalls = (): MockFacadeCalls => ({
    linkToken: [],
    exchange: [],
    getBalances: [],
    getAccounts: [],
    getAllBalances: [],
    removeItem: [],
    getItem: [],
    listItems: [],
    evaluatePayment: [],
    reportPaymentDecision: [],
    reportReturn: [],
    completeLink: [],
    ensureUser: [],
    verifyWebhook: [],
    handleWebhook: [],
  });
  let current: MockFacadeOverrides = { ...overrides };
  const calls = emptyCalls();

  // Each method records the call first, so that a failing override still shows up in `calls`.
  function run<M extends Method>(method: M, input: Signatures[M][0], options: CallOptions | undefined) {
    (calls[method] as Array<[Signatures[M][0], CallOptions | undefined]>).push([input, options]);
    const implementation = (current[method] ?? defaults[method]) as MockImplementation<M>;
    return (async () => implementation(input, options))();
  }

  return {
    calls,
    linkToken: (input, options) => run('linkToken', input, options),
    exchange: (input, options) => run('exchange', input, options),
    getBalances: async (input, options) => {
      const result = await run('getBalances', input, options);
      return { ...result, source: result.source ?? 'live' };
    },
    getAccounts: (input, options) => run('getAccounts', input, options),
    getAllBalances: (input, options) => run('getAllBalances', input, options),
    removeItem: (input, options) => run('removeItem', input, options),
    getItem: (input, options) => run('getItem', input, options),
    listItems: (input) => run('listItems', input, undefined),
    evaluatePayment: (input, options) => run('evaluatePayment', input, options),
    reportPaymentDecision: (input, options) => run('reportPaymentDecision', input, options),
    reportReturn: (input, options) => run('reportReturn', input, options),
    completeLink: (input, options) => run('completeLink', input, options),
    users: { ensure: (input, options) => run('ensureUser', input, options) },
    webhooks: {
      verify: (request, options) => run('verifyWebhook', request, options),
      handle: (request, options) => run('handleWebhook', request, options),
      // The mock holds no keys: nothing to load.
      prewarm: async () => [],
    },
    get closeCount() {
      return closes;
    },
    async close() {
      closes += 1;
    },
    use(more) {
      current = { ...current, ...more };
    },
    reset() {
      current = { ...overrides };
      for (const method of Object.keys(calls) as Method[]) calls[method].length = 0;
      closes = 0;
      linked.clear();
      exchanged.clear();
      linkUsers.clear();
      plaidUsers.clear();
    },
  };
}
