import { checkInput } from '../options.js';
import { z } from '../schemas/zod.js';
import type { PrewarmedWebhookKey, WebhookKeysPrewarmInput } from '../types.js';
import type { KeyCache } from './key-cache.js';
import type { SharedKeys } from './shared-keys.js';

/** The most key ids one `prewarm` asks Plaid for: a start-up call, not a way round the budget. */
export const MAX_PREWARM_KEY_IDS = 20;

const prewarmInputSchema = z
  .object({ keyIds: z.array(z.string()).max(MAX_PREWARM_KEY_IDS).optional() })
  .strict()
  .optional();

/**
 * `webhooks.prewarm`: loads the given key ids and the fleet's recent ones (shared cache) into the
 * key cache, one at a time (there are a handful), and says what became of each.
 */
export async function prewarmKeys(
  keys: KeyCache,
  shared: SharedKeys | undefined,
  input: WebhookKeysPrewarmInput | undefined,
): Promise<PrewarmedWebhookKey[]> {
  const valid = checkInput('webhooks.prewarm input', prewarmInputSchema, input);
  const fromFleet = (await shared?.recent()) ?? [];
  const keyIds = [...new Set([...(valid?.keyIds ?? []), ...fromFleet])];
  const result: PrewarmedWebhookKey[] = [];
  for (const keyId of keyIds) {
    const status = await keys.prewarm(keyId);
    result.push({ keyId, status: status === 'malformed' ? 'unknown' : status });
  }
  return result;
}
