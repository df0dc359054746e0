/**
 * Link tokens, completing a Link session, and Plaid users: the inputs and results of `linkToken`,
 * `completeLink` and `users.ensure`.
 */
import type { CallOptions } from '../options.js';
import type { CountryCode, Product } from '../schemas/enums.js';
import type { ItemHealth } from '../stores/token-store.js';

/** Input of `linkToken`. */
export interface LinkTokenInput {
  /** Your application's id for the user (sent as `user.client_user_id`). */
  userId: string;
  /** Products to initialise Link with. Default `['auth']`; `balance` needs none of its own. */
  products?: Product[] | undefined;
  /** Countries whose institutions Link lists. Default `['US']`. */
  countryCodes?: CountryCode[] | undefined;
  /** Language of Link. Default `'en'`. */
  language?: string | undefined;
  /** Your app's name, as Link shows it. Default: the facade's `clientName`. */
  clientName?: string | undefined;
  /** Where Plaid sends this Item's webhooks. */
  webhook?: string | undefined;
  /** OAuth redirect URI, registered in the Plaid dashboard. */
  redirectUri?: string | undefined;
  /** Update mode: the Item to repair. Its access token is read from the token store. */
  itemId?: string | undefined;
  /**
   * Update mode only: `{ accountSelectionEnabled: true }` lets the user pick accounts again, e.g.
   * after a `NEW_ACCOUNTS_AVAILABLE` webhook (sent as `update.account_selection_enabled`).
   */
  update?:
    | {
        /** Let the user choose which accounts the Item shares (`update.account_selection_enabled`). */
        accountSelectionEnabled?: boolean | undefined;
      }
    | undefined;
  /**
   * Multi-Item Link: the user may link several Items in one session (`enable_multi_item_link`).
   * Plaid then hands the public tokens over only on the server (LINK webhooks, `completeLink`):
   * "In a Multi-Item Link session, the onSuccess callback will be empty." The facade sends Plaid's
   * `user_id` for the user (from `users.ensure`, which it calls first when the store has none).
   */
  multiItem?: boolean | undefined;
  /**
   * Hosted Link: Plaid hosts the Link page; the result gains `hostedLinkUrl`. `true`, or
   * `{ completionRedirectUri }`: where Plaid sends the user when the session ends.
   */
  hostedLink?:
    | true
    | {
        /** Where Plaid redirects the user at the end of the session (`hosted_link.completion_redirect_uri`). */
        completionRedirectUri?: string | undefined;
      }
    | undefined;
}

/** Result of `linkToken`. */
export interface LinkTokenResult {
  /** The token to open Link with. */
  linkToken: string;
  /** When the link token expires. */
  expiration: Date;
  /** Plaid's request id. */
  requestId: string;
  /** With `hostedLink`: the URL of Plaid's hosted Link page for this token. */
  hostedLinkUrl?: string | undefined;
}

/** Input of `completeLink`. */
export interface CompleteLinkInput {
  /** A link token this facade (or another sharing its token store) created with `linkToken`. */
  linkToken: string;
}

/** One Item of a completed Link session. */
export interface CompletedLinkItem {
  /** Plaid's id of the Item (for a duplicate of an Item the user has, that existing Item's id). */
  itemId: string;
  /** The institution, when Plaid named it. */
  institutionId: string | null;
  /** True when this call exchanged it; false when another delivery (browser, webhook, an earlier call) had. */
  newlyExchanged: boolean;
}

/** Result of `completeLink`. */
export interface CompleteLinkResult {
  /** The user the link token was created for. */
  userId: string;
  /**
   * - `completed`: the session added Items; each is exchanged (once) and stored. In update mode:
   *   the user finished Link for the Item (see `updatedItem`); nothing is exchanged.
   * - `exited`: the session ended without an Item; nothing was exchanged.
   * - `pending`: the session has not finished (or not started): ask again later.
   * - `unavailable`: Plaid returned no session for the token: embedded Link sessions are reported
   *   only when Link events are enabled for the account, and results are kept six hours after a
   *   session ends (see docs/linking-flow.md). The browser's `onSuccess` or a LINK webhook still works.
   */
  status: 'completed' | 'exited' | 'pending' | 'unavailable';
  /** The Items the session added (none in update mode: the Item was there already). */
  items: CompletedLinkItem[];
  /**
   * Update mode (a link token made with `linkToken({ userId, itemId })`), once the session
   * completed: the Item it was for, and its health after the update. Completing update mode mends
   * the Item as Plaid's `LOGIN_REPAIRED` webhook does (`healthy`, unless the store knows of a
   * newer problem); no public token is exchanged. Undefined otherwise, and when the store no
   * longer holds the Item.
   */
  updatedItem?: UpdatedLinkItem | undefined;
}

/** The Item an update-mode Link session was for (`CompleteLinkResult.updatedItem`). */
export interface UpdatedLinkItem {
  /** Plaid's id of the Item. */
  itemId: string;
  /** The institution, when the store knows it. */
  institutionId: string | null;
  /** The Item's health as stored after the update. */
  health: ItemHealth;
  /** Whether completing the session changed the stored health (false when it was healthy already). */
  applied: boolean;
}

/** Input of `users.ensure`. */
export interface EnsureUserInput {
  /** Your application's id for the user (Plaid's `client_user_id`). */
  userId: string;
}

/** Result of `users.ensure`. */
export interface EnsureUserResult {
  /** Your id for the user, as given. */
  userId: string;
  /** Plaid's `user_id` for the user, kept in the token store. */
  plaidUserId: string;
  /** True when this call created the user at Plaid (HTTP 201) or first learnt its id; false when the store knew it. */
  created: boolean;
}

/** Plaid's user model: `plaid.users`. */
export interface PlaidUsers {
  /**
   * Makes sure Plaid has a user for `userId` (`/user/create`: 201 new, 200 existing) and keeps
   * Plaid's `user_id` with the user in the token store. Idempotent: once known, no call is made.
   */
  ensure(input: EnsureUserInput, options?: CallOptions): Promise<EnsureUserResult>;
}
