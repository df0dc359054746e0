import type { PlaidErrorCodeReason } from '../errors.js';
import { dateTimeSchema } from './date-time.js';
import type { LinkWebhookBody } from './link-webhooks.js';
import { openEnum } from './open-enum.js';
import { plaidErrorSchema } from './plaid-error.js';
import { z } from './zod.js';

/**
 * Plaid's webhook bodies. Every schema is open: fields Plaid adds are ignored here (and kept in the
 * event's `raw`), and a type or code not listed parses with `otherWebhookSchema`. Outputs are
 * camelCased; the `PlaidWebhook` types are inferred from them.
 */

/** `WebhookEnvironmentValues`. */
export const webhookEnvironmentSchema = openEnum<'sandbox' | 'production'>();

/** A Plaid error as carried by a webhook (`PlaidError`), camelCased. */
export interface WebhookError {
  /** Plaid's `error_type`, e.g. `ITEM_ERROR`. */
  errorType: string;
  /** Plaid's `error_code`, e.g. `ITEM_LOGIN_REQUIRED`. */
  errorCode: string;
  /** For developers; `''` when Plaid sent none. */
  errorMessage: string;
  /** Safe to show to the end user, or null. */
  displayMessage: string | null;
  /** Plaid's `error_code_reason`, or null. */
  errorCodeReason: PlaidErrorCodeReason | null;
  /** Plaid's `suggested_action`, or null. */
  suggestedAction: string | null;
  /** Link to Plaid's documentation of the error, when given. */
  documentationUrl: string | undefined;
  /** The HTTP status Plaid gives the error, or null. */
  status: number | null;
}

/** The `error` object some webhooks carry (`PlaidError`, nullable), camelCased. */
export const webhookErrorSchema = plaidErrorSchema.transform(
  (error): WebhookError => ({
    errorType: error.error_type,
    errorCode: error.error_code,
    errorMessage: error.error_message ?? '',
    displayMessage: error.display_message ?? null,
    errorCodeReason: error.error_code_reason ?? null,
    suggestedAction: error.suggested_action ?? null,
    documentationUrl: error.documentation_url,
    status: error.status ?? null,
  }),
);

// Fields every webhook has (`environment` is checked by the verifier, not here).
const envelope = {
  webhook_type: z.string(),
  webhook_code: z.string(),
  environment: webhookEnvironmentSchema,
};

const itemEnvelope = {
  ...envelope,
  webhook_type: z.literal('ITEM'),
  item_id: z.string().min(1),
  user_id: z.string().nullable().optional(),
};

function common(body: { webhook_code: string; environment: string; item_id: string; user_id?: string | null }) {
  return {
    known: true as const,
    webhookType: 'ITEM' as const,
    itemId: body.item_id,
    environment: body.environment,
    ...(typeof body.user_id === 'string' ? { plaidUserId: body.user_id } : {}),
  };
}

const optionalError = webhookErrorSchema.nullable().optional();

/** ITEM `ERROR`: the Item is in an error state (`ITEM_LOGIN_REQUIRED` and the like). */
const itemErrorWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('ERROR'), error: webhookErrorSchema.nullable() })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, error: b.error }));

/** ITEM `PENDING_DISCONNECT` (US/CA): the Item stops working at `disconnectAt` (about 7 days ahead). */
const pendingDisconnectWebhookSchema = z
  .object({
    ...itemEnvelope,
    webhook_code: z.literal('PENDING_DISCONNECT'),
    reason: openEnum<'INSTITUTION_MIGRATION' | 'INSTITUTION_TOKEN_EXPIRATION'>(),
    disconnect_time: dateTimeSchema,
  })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, reason: b.reason, disconnectAt: b.disconnect_time }));

/** ITEM `PENDING_EXPIRATION` (UK/EU): the user's consent ends at `consentExpiresAt`. */
const pendingExpirationWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('PENDING_EXPIRATION'), consent_expiration_time: dateTimeSchema })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, consentExpiresAt: b.consent_expiration_time }));

/** ITEM `LOGIN_REPAIRED`: the Item works again without the user re-linking through your app. */
const loginRepairedWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('LOGIN_REPAIRED') })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code }));

/** ITEM `USER_PERMISSION_REVOKED`: the user revoked access to the Item. */
const userPermissionRevokedWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('USER_PERMISSION_REVOKED'), error: optionalError })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, error: b.error ?? null }));

/** ITEM `USER_ACCOUNT_REVOKED`: the user revoked access to one account (`accountId`). */
const userAccountRevokedWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('USER_ACCOUNT_REVOKED'), account_id: z.string() })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, accountId: b.account_id }));

/** ITEM `NEW_ACCOUNTS_AVAILABLE`: the user has accounts at the bank that the Item does not share yet. */
const newAccountsAvailableWebhookSchema = z
  .object({ ...itemEnvelope, webhook_code: z.literal('NEW_ACCOUNTS_AVAILABLE'), error: optionalError })
  .transform((b) => ({ ...common(b), webhookCode: b.webhook_code, error: b.error ?? null }));

/** ITEM `WEBHOOK_UPDATE_ACKNOWLEDGED`: the Item's webhook URL changed. */
const webhookUpdateAcknowledgedWebhookSchema = z
  .object({
    ...itemEnvelope,
    webhook_code: z.literal('WEBHOOK_UPDATE_ACKNOWLEDGED'),
    new_webhook_url: z.string(),
    error: optionalError,
  })
  .transform((b) => ({
    ...common(b),
    webhookCode: b.webhook_code,
    newWebhookUrl: b.new_webhook_url,
    error: b.error ?? null,
  }));

/** The ITEM codes this library types, with their schemas. */
export const itemWebhookSchemas = {
  ERROR: itemErrorWebhookSchema,
  PENDING_DISCONNECT: pendingDisconnectWebhookSchema,
  PENDING_EXPIRATION: pendingExpirationWebhookSchema,
  LOGIN_REPAIRED: loginRepairedWebhookSchema,
  USER_PERMISSION_REVOKED: userPermissionRevokedWebhookSchema,
  USER_ACCOUNT_REVOKED: userAccountRevokedWebhookSchema,
  NEW_ACCOUNTS_AVAILABLE: newAccountsAvailableWebhookSchema,
  WEBHOOK_UPDATE_ACKNOWLEDGED: webhookUpdateAcknowledgedWebhookSchema,
} as const;

/**
 * Any other webhook (another type, or an ITEM code added later): the envelope only. `environment`
 * is optional here: some of Plaid's webhooks (LINK `EVENTS`) carry none; the typed schemas that
 * Plaid gives one require it.
 */
export const otherWebhookSchema = z
  .object({ ...envelope, environment: webhookEnvironmentSchema.optional(), item_id: z.string().nullable().optional() })
  .transform(
    (b): OtherWebhookBody => ({
      known: false as const,
      webhookType: b.webhook_type,
      webhookCode: b.webhook_code,
      environment: b.environment,
      ...(typeof b.item_id === 'string' ? { itemId: b.item_id } : {}),
    }),
  );

/** ITEM `ERROR`, as parsed. */
export type ItemErrorWebhookBody = z.output<typeof itemErrorWebhookSchema>;
/** ITEM `PENDING_DISCONNECT`, as parsed. */
export type PendingDisconnectWebhookBody = z.output<typeof pendingDisconnectWebhookSchema>;
/** ITEM `PENDING_EXPIRATION`, as parsed. */
export type PendingExpirationWebhookBody = z.output<typeof pendingExpirationWebhookSchema>;
/** ITEM `LOGIN_REPAIRED`, as parsed. */
export type LoginRepairedWebhookBody = z.output<typeof loginRepairedWebhookSchema>;
/** ITEM `USER_PERMISSION_REVOKED`, as parsed. */
export type UserPermissionRevokedWebhookBody = z.output<typeof userPermissionRevokedWebhookSchema>;
/** ITEM `USER_ACCOUNT_REVOKED`, as parsed. */
export type UserAccountRevokedWebhookBody = z.output<typeof userAccountRevokedWebhookSchema>;
/** ITEM `NEW_ACCOUNTS_AVAILABLE`, as parsed. */
export type NewAccountsAvailableWebhookBody = z.output<typeof newAccountsAvailableWebhookSchema>;
/** ITEM `WEBHOOK_UPDATE_ACKNOWLEDGED`, as parsed. */
export type WebhookUpdateAcknowledgedWebhookBody = z.output<typeof webhookUpdateAcknowledgedWebhookSchema>;

/** An ITEM webhook of a code this library types, as parsed. */
export type ItemWebhookBody =
  | ItemErrorWebhookBody
  | PendingDisconnectWebhookBody
  | PendingExpirationWebhookBody
  | LoginRepairedWebhookBody
  | UserPermissionRevokedWebhookBody
  | UserAccountRevokedWebhookBody
  | NewAccountsAvailableWebhookBody
  | WebhookUpdateAcknowledgedWebhookBody;

/** Any other webhook (another type, or an ITEM code this library does not type), as parsed. */
export interface OtherWebhookBody {
  /** Always false: narrow on it before reading a typed ITEM webhook's fields. */
  known: false;
  /** Plaid's `webhook_type`, e.g. `TRANSACTIONS`. */
  webhookType: string;
  /** Plaid's `webhook_code`. */
  webhookCode: string;
  /** The body's `environment`; undefined for webhooks that carry none (e.g. LINK `EVENTS`). */
  environment: string | undefined;
  /** Plaid's `item_id`, when the webhook names an Item. */
  itemId?: string;
}

/** Fields every verified webhook has besides its body's. */
export interface VerifiedWebhookFields {
  /** When Plaid signed it (the JWT's `iat`): the order of events for `handle`. */
  sentAt: Date;
  /** The body as Plaid sent it, every field included (also those this library does not read). */
  raw: Readonly<Record<string, unknown>>;
}

/**
 * A verified webhook. ITEM webhooks of the codes below are typed (`known: true`):
 * `ERROR`, `PENDING_DISCONNECT`, `PENDING_EXPIRATION`, `LOGIN_REPAIRED`, `USER_PERMISSION_REVOKED`,
 * `USER_ACCOUNT_REVOKED`, `NEW_ACCOUNTS_AVAILABLE`, `WEBHOOK_UPDATE_ACKNOWLEDGED`; so are LINK
 * `ITEM_ADD_RESULT`, `SESSION_FINISHED` and `EVENTS`. Any other type or
 * code passes through with `known: false` and its fields in `raw`. Narrow on `known` first:
 *
 * ```ts
 * if (event.known && event.webhookCode === 'ERROR') console.log(event.error?.errorCode);
 * ```
 */
export type PlaidWebhook = (ItemWebhookBody | LinkWebhookBody | OtherWebhookBody) & VerifiedWebhookFields;

/** A typed LINK webhook (`known: true`, `webhookType: 'LINK'`). */
export type LinkWebhook = LinkWebhookBody & VerifiedWebhookFields;

/** A typed ITEM webhook (`known: true`). */
export type ItemWebhook = ItemWebhookBody & VerifiedWebhookFields;

/** Answer of `/webhook_verification_key/get` (`WebhookVerificationKeyGetResponse`, `JWKPublicKey`). */
export const webhookVerificationKeyGetResponseSchema = z.object({
  key: z
    .object({
      alg: z.string(),
      kid: z.string(),
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      y: z.string(),
      use: z.string(),
      created_at: z.number(),
      expired_at: z.number().nullable(),
    })
    .passthrough(),
  request_id: z.string(),
});

/** Answer of `/webhook_verification_key/get`, as parsed. */
export type WebhookVerificationKeyGetResponse = z.output<typeof webhookVerificationKeyGetResponseSchema>;
