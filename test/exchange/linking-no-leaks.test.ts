import { describe, expect, it } from 'vitest';
import { type LinkRecord, MemoryTokenStore, type PlaidFacadeEvent } from '../../src/index.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
const secret = 'the-client-secret-value';

/** A MemoryTokenStore that remembers every link record written. */
class SpyStore extends MemoryTokenStore {
  readonly records: LinkRecord[] = [];
  override async setLinkRecord(record: LinkRecord, expected?: string | null) {
    this.records.push({ ...record });
    return super.setLinkRecord(record, expected);
  }
}

describe('linking leaks no token', () => {
  it('no public token, access token or secret in any event, log line, error or link record', async () => {
    const events: PlaidFacadeEvent[] = [];
    const lines: unknown[] = [];
    const log = (...args: unknown[]) => lines.push(args);
    const tokenStore = new SpyStore();
    const plaid = facade({
      secret,
      tokenStore,
      onEvent: (event) => events.push(event),
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const { linkToken } = await plaid.linkToken({ userId: 'u1', multiItem: true });
    const session = fake.finishLinkSession(linkToken, { items: [{}, { institutionId: 'ins_109509' }] });
    const publicTokens = session.successes.map((success) => success.publicToken);
    const errors: unknown[] = [];
    fake.failNext('/item/public_token/exchange', 'INTERNAL_SERVER_ERROR');
    await plaid.exchange({ userId: 'u1', publicToken: publicTokens[0] as string }).catch((e) => errors.push(e));
    const handled = await plaid.webhooks.handle(session.webhooks.sessionFinished);
    await plaid.exchange({ userId: 'u2', publicToken: publicTokens[1] as string }).catch((e) => errors.push(e));
    await plaid.completeLink({ linkToken });
    const accessTokens = (await tokenStore.list('u1')).map((item) => item.accessToken);
    expect(accessTokens).toHaveLength(2);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const seen = JSON.stringify([
      events,
      lines,
      handled,
      tokenStore.records,
      errors.map((e) => [String(e), (e as Error).stack, JSON.stringify(e), (e as { cause?: unknown }).cause]),
    ]);
    for (const value of [...publicTokens, ...accessTokens, secret]) expect(seen).not.toContain(value);
  });
});
