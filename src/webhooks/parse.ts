import { PlaidSchemaError } from '../errors.js';
import { linkWebhookSchemas } from '../schemas/link-webhooks.js';
import {
  itemWebhookSchemas,
  otherWebhookSchema,
  type PlaidWebhook,
  type VerifiedWebhookFields,
} from '../schemas/webhooks.js';

export type { ItemWebhook, LinkWebhook, PlaidWebhook } from '../schemas/webhooks.js';

import type { z } from '../schemas/zod.js';
import { reject } from './reject.js';

/** Reads a verified body: JSON, the envelope, the environment, then the typed schema of its code. */
export function parseWebhook(bytes: Uint8Array, context: { environment: string; sentAt: Date }): PlaidWebhook {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new PlaidSchemaError('webhook', [{ path: [], message: 'the body is not JSON' }]);
  }
  const envelope = otherWebhookSchema.safeParse(raw);
  if (!envelope.success) throw schemaError('webhook', envelope.error);
  // Only where the body has one: Plaid's LINK EVENTS webhook carries no environment.
  if (envelope.data.environment !== undefined && envelope.data.environment !== context.environment) {
    throw reject(
      'WEBHOOK_WRONG_ENVIRONMENT',
      `a ${JSON.stringify(envelope.data.environment)} webhook reached a facade for ${context.environment}`,
    );
  }
  const verified: VerifiedWebhookFields = { sentAt: context.sentAt, raw: raw as Record<string, unknown> };
  const { webhookType, webhookCode } = envelope.data;
  if (webhookType === 'LINK' && Object.hasOwn(linkWebhookSchemas, webhookCode)) {
    const typed = linkWebhookSchemas[webhookCode as keyof typeof linkWebhookSchemas].safeParse(raw);
    if (!typed.success) throw schemaError(`webhook LINK ${webhookCode}`, typed.error);
    return { ...typed.data, ...verified };
  }
  const schema =
    webhookType === 'ITEM' ? itemWebhookSchemas[webhookCode as keyof typeof itemWebhookSchemas] : undefined;
  if (!schema || !Object.hasOwn(itemWebhookSchemas, webhookCode)) return { ...envelope.data, ...verified };
  const typed = schema.safeParse(raw);
  if (!typed.success) throw schemaError(`webhook ITEM ${webhookCode}`, typed.error);
  return { ...typed.data, ...verified };
}

function schemaError(what: string, error: z.ZodError): PlaidSchemaError {
  return new PlaidSchemaError(
    what,
    error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
  );
}
