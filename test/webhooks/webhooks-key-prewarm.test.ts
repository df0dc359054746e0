import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/index.js';
import { createMockFacade } from '../../src/testing/index.js';
import { forgedWebhook, type WebhookSetup, webhookSetup } from '../support/webhook-setup.js';

// plaid.webhooks.prewarm: keys loaded at start-up, before the first webhook (and before any flood).
let s: WebhookSetup;
beforeEach(async () => {
  s = await webhookSetup();
});
afterEach(() => s.close());

const item = { item_id: 'item-abc' };
const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()).kid as string;

const forged = (kid: string) => forgedWebhook(s.fake, kid, item);

describe('webhooks.prewarm', () => {
  it('loads the key ids given and says what became of each', async () => {
    const current = s.fake.webhookKeyId;
    const expired = kidOf(
      s.fake.webhook('ITEM', 'ERROR', item, { key: 'expired' }).headers['Plaid-Verification'] as string,
    );
    const keys = await s.plaid.webhooks.prewarm({ keyIds: [current, expired, 'no-such-key'] });
    expect(keys).toEqual([
      { keyId: current, status: 'ready' },
      { keyId: expired, status: 'expired' },
      { keyId: 'no-such-key', status: 'unknown' },
    ]);
    expect(s.keyFetches()).toBe(3);
    // The first webhook needs no fetch.
    await expect(s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item) as never)).resolves.toMatchObject({
      webhookCode: 'ERROR',
    });
    expect(s.keyFetches()).toBe(3);
  });

  it('a prewarmed key verifies on the first delivery even while forged kids spend the budget', async () => {
    await s.plaid.webhooks.prewarm({ keyIds: [s.fake.webhookKeyId] });
    for (let i = 0; i < 30; i += 1) await s.plaid.webhooks.verify(forged(`forged-${i}`)).catch(() => undefined);
    await expect(s.plaid.webhooks.verify(s.fake.webhook('ITEM', 'ERROR', item) as never)).resolves.toMatchObject({
      webhookCode: 'ERROR',
    });
  });

  it('spends no budget, and never rejects when Plaid cannot be asked', async () => {
    for (let i = 0; i < 30; i += 1) await s.plaid.webhooks.verify(forged(`forged-${i}`)).catch(() => undefined);
    s.fake.failNext('/webhook_verification_key/get', 'INTERNAL_SERVER_ERROR', { times: 3 });
    await expect(s.plaid.webhooks.prewarm({ keyIds: [s.fake.webhookKeyId] })).resolves.toEqual([
      { keyId: s.fake.webhookKeyId, status: 'unavailable' },
    ]);
    // Budget spent by the forged kids, yet prewarm still asks Plaid.
    await expect(s.plaid.webhooks.prewarm({ keyIds: [s.fake.webhookKeyId] })).resolves.toEqual([
      { keyId: s.fake.webhookKeyId, status: 'ready' },
    ]);
  });

  it('without key ids and without a shared cache it has nothing to load', async () => {
    await expect(s.plaid.webhooks.prewarm()).resolves.toEqual([]);
    expect(s.keyFetches()).toBe(0);
  });

  it('refuses what is not a short list of key ids', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `kid-${i}`);
    await expect(s.plaid.webhooks.prewarm({ keyIds: many })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.plaid.webhooks.prewarm({ keyIds: 'kid' } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    const malformed = await s.plaid.webhooks.prewarm({ keyIds: ['not a kid!'] });
    expect(malformed).toEqual([{ keyId: 'not a kid!', status: 'unknown' }]);
    expect(s.keyFetches()).toBe(0);
  });

  it('the mock facade has it too', async () => {
    await expect(createMockFacade().webhooks.prewarm({ keyIds: ['kid'] })).resolves.toEqual([]);
  });

  it('is refused after close(), as every call is', async () => {
    await s.plaid.close();
    await expect(s.plaid.webhooks.prewarm()).rejects.toMatchObject({ name: 'FacadeClosedError' });
  });
});
