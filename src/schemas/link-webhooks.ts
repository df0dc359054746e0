import { linkEventSchema } from './link-token-get.js';
import { openEnum } from './open-enum.js';
import { webhookEnvironmentSchema } from './webhooks.js';
import { z } from './zod.js';

/**
 * The LINK webhooks (Hosted Link, Multi-Item Link, Link Recovery sessions): `ITEM_ADD_RESULT`
 * (`ItemAddResultWebhook`), `SESSION_FINISHED` (`LinkSessionFinishedWebhook`) and `EVENTS`
 * (`LinkEventsWebhook`, which has no `environment`). The public tokens they carry are not copied
 * into the typed fields (they stay in `raw` for `verify`; `handle` exchanges them and blanks them).
 */
const linkEnvelope = {
  webhook_type: z.literal('LINK'),
  link_session_id: z.string(),
  link_token: z.string(),
};

/** The typed fields every LINK webhook starts with (EVENTS carries no `environment`: undefined). */
function linkFields<Code extends string>(
  b: { webhook_code: Code; link_session_id: string; link_token: string },
  environment: string | undefined,
) {
  return {
    known: true as const,
    webhookType: 'LINK' as const,
    webhookCode: b.webhook_code,
    // LINK webhooks name no Item (the session may add several); kept for narrowing on `itemId`.
    itemId: undefined,
    environment,
    linkSessionId: b.link_session_id,
    linkToken: b.link_token,
  };
}

/** LINK `ITEM_ADD_RESULT`: the user linked one Item in the session (one public token). */
const itemAddResultWebhookSchema = z
  .object({
    ...linkEnvelope,
    webhook_code: z.literal('ITEM_ADD_RESULT'),
    public_token: z.string().min(1),
    environment: webhookEnvironmentSchema,
  })
  .transform((b) => ({
    ...linkFields(b, b.environment),
    publicTokenCount: 1,
  }));

/** LINK `SESSION_FINISHED`: the session ended, `SUCCESS` with `public_tokens[]` or `EXITED`. */
const sessionFinishedWebhookSchema = z
  .object({
    ...linkEnvelope,
    webhook_code: z.literal('SESSION_FINISHED'),
    status: openEnum<'SUCCESS' | 'EXITED'>(),
    public_token: z.string().optional(),
    public_tokens: z.array(z.string().min(1)).optional(),
    user_id: z.string().optional(),
    environment: webhookEnvironmentSchema,
  })
  .transform((b) => ({
    ...linkFields(b, b.environment),
    status: b.status,
    publicTokenCount: publicTokensOf(b).length,
    ...(b.user_id !== undefined ? { plaidUserId: b.user_id } : {}),
  }));

/** LINK `EVENTS`: Link's events of a session (sent 5-15 minutes after abandonment; may repeat, dedupe by `eventId`). */
const linkEventsWebhookSchema = z
  .object({
    ...linkEnvelope,
    webhook_code: z.literal('EVENTS'),
    events: z.array(linkEventSchema),
  })
  .transform((b) => ({
    ...linkFields(b, undefined),
    events: b.events.map((event) => ({
      eventId: event.event_id,
      eventName: event.event_name,
      timestamp: event.timestamp,
      metadata: event.event_metadata as Record<string, unknown>,
    })),
  }));

/** The LINK codes this library types, with their schemas. */
export const linkWebhookSchemas = {
  ITEM_ADD_RESULT: itemAddResultWebhookSchema,
  SESSION_FINISHED: sessionFinishedWebhookSchema,
  EVENTS: linkEventsWebhookSchema,
} as const;

/** The public tokens of a LINK webhook body (`public_token` or `public_tokens[]`, deduplicated). */
export function publicTokensOf(body: { public_token?: unknown; public_tokens?: unknown }): string[] {
  const tokens = [
    ...(Array.isArray(body.public_tokens) ? body.public_tokens : []),
    ...(typeof body.public_token === 'string' ? [body.public_token] : []),
  ].filter((token): token is string => typeof token === 'string' && token !== '');
  return [...new Set(tokens)];
}

/** LINK `ITEM_ADD_RESULT`, as parsed. */
export type ItemAddResultWebhookBody = z.output<typeof itemAddResultWebhookSchema>;
/** LINK `SESSION_FINISHED`, as parsed. */
export type SessionFinishedWebhookBody = z.output<typeof sessionFinishedWebhookSchema>;
/** LINK `EVENTS`, as parsed. */
export type LinkEventsWebhookBody = z.output<typeof linkEventsWebhookSchema>;
/** A LINK webhook of a code this library types, as parsed. */
export type LinkWebhookBody = ItemAddResultWebhookBody | SessionFinishedWebhookBody | LinkEventsWebhookBody;
