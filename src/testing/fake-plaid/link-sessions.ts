import { randomId } from './ids.js';
import { type FakeLinkSuccess, linkMetadata } from './link-metadata.js';
import type { FakePlaidState } from './state.js';
import type { CreatePublicTokenOptions } from './types.js';
import { buildWebhook, type FakeWebhook } from './webhooks.js';

/** What the fake keeps of a link token (for `/link/token/get` and the LINK webhooks). */
export interface FakeLinkTokenRecord {
  expiresAt: number;
  createdAt?: number;
  /** `user.client_user_id`, Plaid's `user_id` (Multi-Item Link), and the request's settings. */
  clientUserId?: string;
  plaidUserId?: string | undefined;
  webhook?: string | null;
  products?: string[];
  countryCodes?: string[];
  language?: string | null;
  redirectUri?: string | null;
  clientName?: string | null;
  sessions?: FakeLinkSessionRecord[];
  /** Update mode (`access_token` given): the Item Link opens again. */
  itemId?: string | undefined;
}

/** One Link session of a link token. */
export interface FakeLinkSessionRecord {
  linkSessionId: string;
  startedAt: string;
  finishedAt: string | null;
  /** Whether `/link/token/get` reports it (Hosted Link, or embedded Link with Link events enabled). */
  reported: boolean;
  successes: FakeLinkSuccess[];
  exited: boolean;
}

/** Options of `fake.finishLinkSession`. */
export interface FinishLinkSessionOptions {
  /**
   * The Items the user links: a count, or one `createPublicToken` option set per Item. Default 1.
   * Ignored for an update-mode link token: the user goes through Link for its Item (which repairs
   * the Item's login), no Item is added and `item_add_results` is empty.
   */
  items?: number | CreatePublicTokenOptions[];
  /** The user leaves Link without linking (no Item; `SESSION_FINISHED` status `EXITED`). */
  exit?: boolean;
  /**
   * Whether `/link/token/get` reports the session. Default true. False plays embedded Link without
   * Link events enabled: Plaid then returns no `link_sessions`.
   */
  reported?: boolean;
}

/** A finished Link session: what the browser's `onSuccess` got, and the LINK webhooks Plaid sends. */
export interface FakeLinkSession {
  /** Link's session id. */
  linkSessionId: string;
  /** Update mode: the Item the user went through Link for (its login repaired); undefined otherwise. */
  updatedItemId?: string | undefined;
  /** One per Item linked: the public token and Link's metadata (what `onSuccess` gets, in single-Item Link). */
  successes: FakeLinkSuccess[];
  /** The LINK webhooks of the session, signed: deliver them in any order, any number of times. */
  webhooks: {
    /** `ITEM_ADD_RESULT`, one per Item. */
    itemAddResults: FakeWebhook[];
    /** `SESSION_FINISHED` (`status` SUCCESS or EXITED, `public_tokens[]`). */
    sessionFinished: FakeWebhook;
    /** `EVENTS` (no `environment`, as in Plaid's schema). */
    events: FakeWebhook;
  };
}

function record(state: FakePlaidState, linkToken: string): FakeLinkTokenRecord {
  const found = state.linkTokens.get(linkToken) as FakeLinkTokenRecord | undefined;
  if (!found) throw new Error(`The fake Plaid issued no link token ${linkToken}`);
  return found;
}

/** Starts a Link session for `linkToken` that has not finished yet (`completeLink` then says pending). */
export function startLinkSession(state: FakePlaidState, linkToken: string, reported = true): string {
  const token = record(state, linkToken);
  const session: FakeLinkSessionRecord = {
    linkSessionId: randomId(36),
    startedAt: state.now().toISOString(),
    finishedAt: null,
    reported,
    successes: [],
    exited: false,
  };
  token.sessions = [...(token.sessions ?? []), session];
  return session.linkSessionId;
}

/** Finishes the open session of `linkToken` (or a new one) with Items or an exit. */
export function finishLinkSession(
  state: FakePlaidState,
  linkToken: string,
  options: FinishLinkSessionOptions = {},
): FakeLinkSession {
  const token = record(state, linkToken);
  let session = token.sessions?.find((open) => open.finishedAt === null);
  if (!session) {
    startLinkSession(state, linkToken, options.reported ?? true);
    session = token.sessions?.at(-1) as FakeLinkSessionRecord;
  }
  if (options.reported !== undefined) session.reported = options.reported;
  const update = token.itemId !== undefined && !options.exit;
  const seeds =
    options.exit || update
      ? []
      : typeof options.items === 'number'
        ? Array.from({ length: options.items }, () => ({}))
        : (options.items ?? [{}]);
  session.successes = seeds.map((seed) => {
    const publicToken = state.createPublicToken(seed);
    const item = state.itemForPublicToken(publicToken);
    if (!item) throw new Error('finishLinkSession: the Item just created is missing');
    return { publicToken, metadata: { ...linkMetadata(item), link_session_id: session.linkSessionId } };
  });
  session.exited = session.successes.length === 0 && !update;
  // Going through update mode is what repairs an Item's login at Plaid.
  if (update && token.itemId !== undefined) state.itemErrors.delete(token.itemId);
  session.finishedAt = state.now().toISOString();
  const sign = (code: string, fields: Record<string, unknown>) =>
    buildWebhook(state.webhookKeys, state.now(), 'LINK', code, fields);
  const common = { link_session_id: session.linkSessionId, link_token: linkToken };
  const publicTokens = session.successes.map((success) => success.publicToken);
  return {
    linkSessionId: session.linkSessionId,
    ...(update ? { updatedItemId: token.itemId } : {}),
    successes: session.successes,
    webhooks: {
      itemAddResults: publicTokens.map((publicToken) =>
        sign('ITEM_ADD_RESULT', { ...common, public_token: publicToken }),
      ),
      sessionFinished: sign('SESSION_FINISHED', {
        status: session.exited ? 'EXITED' : 'SUCCESS',
        ...common,
        ...(publicTokens[0] !== undefined ? { public_token: publicTokens[0] } : {}),
        public_tokens: publicTokens,
        ...(token.plaidUserId !== undefined ? { user_id: token.plaidUserId } : {}),
      }),
      events: sign('EVENTS', {
        events: [
          { event_id: randomId(36), timestamp: session.startedAt, event_name: 'OPEN', event_metadata: {} },
          {
            event_id: randomId(36),
            timestamp: session.finishedAt,
            event_name: session.exited ? 'EXIT' : 'HANDOFF',
            event_metadata: {},
          },
        ],
        ...common,
      }),
    },
  };
}

/** The `link_sessions` of `/link/token/get` (only reported sessions). */
export function wireSessions(token: FakeLinkTokenRecord): Array<Record<string, unknown>> {
  return (token.sessions ?? [])
    .filter((session) => session.reported)
    .map((session) => ({
      link_session_id: session.linkSessionId,
      started_at: session.startedAt,
      finished_at: session.finishedAt,
      exit: session.exited ? { error: null, metadata: { status: 'requires_credentials', country: 'US' } } : null,
      events: [],
      results:
        session.finishedAt === null
          ? null
          : {
              item_add_results: session.successes.map((success) => ({
                public_token: success.publicToken,
                accounts: success.metadata.accounts,
                institution: success.metadata.institution,
              })),
              cra_item_add_results: [],
              cra_update_results: [],
              bank_income_results: [],
              payroll_income_results: [],
              document_income_results: null,
            },
    }));
}
