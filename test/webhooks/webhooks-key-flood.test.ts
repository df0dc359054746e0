import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlaidFacade, WebhookVerificationError } from '../../src/index.js';
import { forgedWebhook, START, type WebhookSetup, webhookSetup } from '../support/webhook-setup.js';

// Forged webhooks naming made-up key ids must not starve the genuine ones (issue #21).
let s: WebhookSetup;
beforeEach(async () => {
  s = await webhookSetup();
});
afterEach(() => s.close());

const item = { item_id: 'item-abc' };

/** A webhook whose JWT names `kid` (a forger's: the signature is someone else's). */
const forged = (kid: string) => forgedWebhook(s.fake, kid, item);

async function outcome(request: { body: string; headers: Record<string, string> }): Promise<string> {
  try {
    await s.plaid.webhooks.verify(request);
    return 'verified';
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).code;
  }
}

/** Fetches of one key id at the fake. */
function fetchesOf(kid: string): number {
  return s.fake.callsTo('/webhook_verification_key/get').filter((call) => call.body?.key_id === kid).length;
}

describe('forged key ids do not starve genuine webhooks', () => {
  it('20 forged webhooks a second (random kids) for 60 s: a genuine webhook with an uncached key verifies within the minute', async () => {
    const genuineKid = s.fake.rotateWebhookKey(); // not cached: this facade has fetched nothing yet
    let verifiedAt: number | undefined;
    const genuineOutcomes: string[] = [];
    let forgedCount = 0;
    for (let ms = 0; ms < 60_000; ms += 50) {
      s.clock.now = START + ms;
      expect(await outcome(forged(`forged-${ms}-${Math.random().toString(36).slice(2)}`))).not.toBe('verified');
      forgedCount += 1;
      // Plaid delivers the genuine webhook at 10 s and again every 10 s while it is refused with a 5xx.
      if (verifiedAt === undefined && ms >= 10_000 && ms % 10_000 === 0) {
        const result = await outcome(s.fake.webhook('ITEM', 'ERROR', item) as never);
        genuineOutcomes.push(result);
        if (result === 'verified') verifiedAt = ms;
        else expect(result).toBe('WEBHOOK_KEY_UNAVAILABLE'); // retryable: Plaid delivers it again
      }
    }
    expect(forgedCount).toBe(1_200);
    expect(verifiedAt).toBeDefined();
    expect(verifiedAt).toBeLessThan(60_000);
    expect(fetchesOf(genuineKid)).toBe(1);
    // Plaid is still not hammered: at most 10 first-sight fetches a minute, plus the genuine key's.
    expect(s.keyFetches()).toBeLessThanOrEqual(11);
  });

  it('each made-up kid costs one fetch, however often it is repeated', async () => {
    const kids = ['made-up-a', 'made-up-b', 'made-up-c', 'made-up-d', 'made-up-e'];
    for (let round = 0; round < 40; round += 1) {
      s.clock.now = START + round * 15_000; // ten minutes
      for (const kid of kids) expect(await outcome(forged(kid))).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(s.keyFetches()).toBe(kids.length);
  });

  it('a known key is never fetched again while current, flood or not; its hourly refresh needs no budget', async () => {
    const kid = s.fake.webhookKeyId;
    expect(await outcome(s.fake.webhook('ITEM', 'ERROR', item) as never)).toBe('verified');
    for (const minute of [0, 1, 2, 30, 59, 60, 61, 62]) {
      s.clock.now = START + minute * 60_000;
      // Each minute, more made-up kids than the minute's budget, then a genuine webhook.
      for (let i = 0; i < 12; i += 1) await outcome(forged(`forged-${minute}-${i}`));
      expect(await outcome(s.fake.webhook('ITEM', 'ERROR', item) as never)).toBe('verified');
    }
    // Fetched once, then once more by the refresh after an hour (to learn of an expiry) although
    // forged kids had spent every minute's budget.
    expect(fetchesOf(kid)).toBe(2);
  });

  it('a genuine key whose first fetch failed gets the reserved lane on the next delivery, flood or not', async () => {
    s.fake.failNext('/webhook_verification_key/get', 'INTERNAL_SERVER_ERROR', { times: 2 });
    expect(await outcome(s.fake.webhook('ITEM', 'ERROR', item) as never)).toBe('WEBHOOK_KEY_UNAVAILABLE');
    for (let i = 0; i < 20; i += 1) await outcome(forged(`forged-${i}`)); // the first-sight lane is spent
    expect(await outcome(s.fake.webhook('ITEM', 'ERROR', item) as never)).toBe('verified');
  });

  it('a refused id seen again gets the reserved lane; first sights beyond the budget are refused', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 15; i += 1) codes.push(await outcome(forged(`first-${i}`)));
    expect(codes.slice(0, 10).every((code) => code === 'WEBHOOK_SIGNATURE_INVALID')).toBe(true);
    expect(codes.slice(10).every((code) => code === 'WEBHOOK_KEY_UNAVAILABLE')).toBe(true);
    // Seen a second time: asked (and found unknown), from the lane random ids never reach.
    expect(await outcome(forged('first-12'))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(s.keyFetches()).toBe(11);
  });
});

describe('every key fetch is bounded', () => {
  it('a key fetch Plaid does not answer is abandoned after webhooks.keyCache.fetchTimeoutMs', async () => {
    const fake = s.fake;
    const plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret',
      basePath: s.url,
      webhooks: { keyCache: { fetchTimeoutMs: 500 } },
    });
    try {
      // Warm up first: the official client loads on the first call, whatever it is.
      await plaid.linkToken({ userId: 'user-1' });
      fake.failNext('/webhook_verification_key/get', { latencyMs: 5_000 });
      const started = performance.now();
      const error = await plaid.webhooks.verify(fake.webhook('ITEM', 'ERROR', item) as never).catch((e: unknown) => e);
      expect((error as WebhookVerificationError).code).toBe('WEBHOOK_KEY_UNAVAILABLE');
      expect((error as WebhookVerificationError).retryable).toBe(true);
      expect(performance.now() - started).toBeLessThan(2_000);
      // Plaid's next delivery verifies.
      await expect(plaid.webhooks.verify(fake.webhook('ITEM', 'ERROR', item) as never)).resolves.toMatchObject({
        webhookCode: 'ERROR',
      });
    } finally {
      await plaid.close();
    }
  });

  it('webhooks.keyCache options are checked', () => {
    const base = { clientId: 'id', secret: 'secret' };
    expect(() => createPlaidFacade({ ...base, webhooks: { keyCache: { fetchTimeoutMs: 20_000 } } })).toThrow(
      /webhooks\.keyCache\.fetchTimeoutMs.*10000/s,
    );
    expect(() => createPlaidFacade({ ...base, webhooks: { keyCache: { redis: { client: {} as never } } } })).toThrow(
      /webhooks\.keyCache\.redis\.client.*get, set and del/s,
    );
    expect(() => createPlaidFacade({ ...base, webhooks: { keyCahce: {} } as never })).toThrow(/keyCahce/);
  });
});
