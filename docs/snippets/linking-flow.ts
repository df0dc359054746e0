// Code of docs/linking-flow.md: the server side, as framework-free functions. Wire them to your
// routes; `plaid` is the facade your service created once at start-up (given by
// test/docs/docs-snippets-run.test.ts, which calls these functions against the fake Plaid).
import {
  DuplicateItemError,
  isPlaidFacadeError,
  type LinkSuccessMetadata,
  type PlaidFacade,
  TokenStoreError,
} from 'plaid-facade';
import { given } from './given.js';

export interface Given {
  plaid: PlaidFacade;
}
const { plaid } = given<Given>();

// #region link-token
// POST /plaid/link-token, for the signed-in user.
export async function createLinkToken(userId: string) {
  const { linkToken, expiration } = await plaid.linkToken({
    userId,
    webhook: 'https://api.example.com/plaid/webhook', // optional
  });
  return { linkToken, expiration: expiration.toISOString() };
}
// #endregion

// #region exchange
// POST /plaid/exchange { publicToken }, called by the front end from Link's onSuccess.
export async function exchangePublicToken(userId: string, publicToken: string) {
  try {
    const { itemId } = await plaid.exchange({ userId, publicToken });
    return { status: 'linked', itemId } as const; // the access token is in the token store
  } catch (error) {
    if (error instanceof TokenStoreError && error.code === 'TOKEN_STORE_WRITE_FAILED') {
      // The store failed after Plaid issued the token. itemRemoved: true -> nothing is left at
      // Plaid, ask the user to link again later; false -> the Item is orphaned at Plaid (see the message).
      return { status: 'try-again-later', itemRemoved: error.itemRemoved } as const;
    }
    if (isPlaidFacadeError(error) && (error.outcomeUnknown || error.code === 'INVALID_PUBLIC_TOKEN')) {
      // The exchange may or may not have happened at Plaid: the public token cannot be used again.
      return { status: 'link-again' } as const;
    }
    throw error;
  }
}
// #endregion

// #region duplicate
// POST /plaid/exchange { publicToken, metadata }: pass Link's onSuccess metadata along as it is.
export async function exchangeWithMetadata(userId: string, publicToken: string, metadata: LinkSuccessMetadata) {
  try {
    const { itemId } = await plaid.exchange({ userId, publicToken, metadata });
    return { status: 'linked', itemId } as const;
  } catch (error) {
    if (error instanceof DuplicateItemError) {
      // Nothing was exchanged, nothing new is billed: point the user at the Item they have.
      return { status: 'already-linked', itemId: error.existingItemId } as const;
    }
    throw error;
  }
}
// #endregion

// #region update-mode
// Reading balances found that the user must log in again: hand the front end an update-mode token.
export async function balancesOrRepair(userId: string, itemId: string) {
  try {
    return { status: 'ok', balances: await plaid.getBalances({ userId, itemId }) } as const;
  } catch (error) {
    if (isPlaidFacadeError(error) && error.code === 'ITEM_LOGIN_REQUIRED') {
      // The Item's access token is read from the token store; no products are sent.
      const { linkToken } = await plaid.linkToken({ userId, itemId });
      return { status: 'repair', linkToken } as const;
    }
    throw error;
  }
}
// #endregion

// #region complete-link
// On page load (and from a "still linking?" poll): finish a Link session the browser did not.
export async function resumeLink(linkToken: string) {
  const { userId, status, items } = await plaid.completeLink({ linkToken });
  // completed: every Item of the session is stored (once, whoever delivered its token first);
  // pending: Link is still open; exited: nothing to do; unavailable: wait for onSuccess or the webhook.
  return { userId, status, itemIds: items.map((item) => item.itemId) };
}
// #endregion

// #region link-webhook
// POST /plaid/webhook, with the raw body (express.raw({ type: 'application/json' })).
export async function receiveWebhook(body: Buffer, headers: Record<string, string | string[] | undefined>) {
  const event = await plaid.webhooks.handle({ body, headers });
  if (event.known && event.webhookType === 'LINK' && event.link) {
    // ITEM_ADD_RESULT / SESSION_FINISHED: the session's Items are exchanged and stored.
    return { userId: event.userId, linked: event.link.items.filter((item) => item.newlyExchanged).length };
  }
  return { userId: event.userId, linked: 0 };
}
// #endregion
