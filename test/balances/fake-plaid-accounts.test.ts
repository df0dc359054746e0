import { describe, expect, it } from 'vitest';
import { accountsGetResponseSchema } from '../../src/schemas/accounts-get.js';
import { useFakePlaid } from '../support/fake-facades.js';
import { post } from '../support/fake-plaid-client.js';

// listening before the tests, reset after each, closed after all
const served = useFakePlaid();
const { fake } = served;

async function exchange(publicToken = fake.createPublicToken()) {
  const answer = await post(served.url, '/item/public_token/exchange', { public_token: publicToken });
  return answer.body as { access_token: string; item_id: string };
}

describe('fake Plaid: /accounts/get', () => {
  it("answers the Item's accounts with cached balances, in the shape the facade's schema accepts", async () => {
    const { access_token, item_id } = await exchange(fake.createPublicToken({ institutionId: 'ins_128026' }));
    const answer = await post(served.url, '/accounts/get', { access_token });
    expect(answer.status).toBe(200);
    const parsed = await accountsGetResponseSchema.parseAsync(answer.body);
    expect(parsed.item).toEqual({ item_id, institution_id: 'ins_128026' });
    expect(parsed.accounts.map((account) => account.name)).toEqual([
      'Plaid Checking',
      'Plaid Saving',
      'Plaid Credit Card',
    ]);
  });

  it('filters by options.account_ids and refuses an unknown one, as /accounts/balance/get does', async () => {
    const { access_token, item_id } = await exchange();
    const savings = fake.item(item_id).accounts[1]?.account_id as string;
    const one = await post(served.url, '/accounts/get', { access_token, options: { account_ids: [savings] } });
    expect((one.body.accounts as unknown[]).length).toBe(1);
    const unknown = await post(served.url, '/accounts/get', { access_token, options: { account_ids: ['nope'] } });
    expect(unknown.body.error_code).toBe('INVALID_ACCOUNT_ID');
    const badToken = await post(served.url, '/accounts/get', { access_token: 'access-sandbox-unknown' });
    expect(badToken.body.error_code).toBe('INVALID_ACCESS_TOKEN');
  });

  it('has its own rate-limit code, ACCOUNTS_LIMIT', async () => {
    const { access_token } = await exchange();
    fake.setRateLimit('/accounts/get', { limit: 1, intervalMs: 60_000, perItem: true });
    await post(served.url, '/accounts/get', { access_token });
    const limited = await post(served.url, '/accounts/get', { access_token });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'ACCOUNTS_LIMIT' });
  });
});

describe('fake Plaid: billed calls', () => {
  it('counts successful balance reads only: not failures, not /accounts/get', async () => {
    const { access_token } = await exchange();
    expect(fake.billedCalls).toBe(0);
    await post(served.url, '/accounts/balance/get', { access_token });
    await post(served.url, '/accounts/balance/get', { access_token });
    await post(served.url, '/accounts/get', { access_token });
    fake.failNext('/accounts/balance/get', 'INSTITUTION_DOWN');
    await post(served.url, '/accounts/balance/get', { access_token });
    await post(served.url, '/accounts/balance/get', { access_token: 'access-sandbox-unknown' });
    expect(fake.billedCalls).toBe(2);
    fake.reset();
    expect(fake.billedCalls).toBe(0);
  });

  it('counts a read carried out whose answer was then lost', async () => {
    const { access_token } = await exchange();
    fake.failNext('/accounts/balance/get', 'processed-then-dropped');
    await post(served.url, '/accounts/balance/get', { access_token }).catch(() => undefined);
    expect(fake.billedCalls).toBe(1);
  });
});

describe("fake Plaid: Link's onSuccess metadata", () => {
  it('names the institution and each account by id, name and mask, never the number', async () => {
    const { publicToken, metadata } = fake.completeLink({ institutionId: 'ins_109509' });
    expect(metadata.institution).toEqual({ name: 'First Gingham Credit Union', institution_id: 'ins_109509' });
    const { item_id } = await exchange(publicToken);
    const accounts = fake.item(item_id).accounts;
    expect(metadata.accounts).toEqual(
      accounts.map((account) => ({
        id: account.account_id,
        name: account.name,
        mask: account.mask,
        type: account.type,
        subtype: account.subtype,
        verification_status: null,
      })),
    );
    expect(metadata.link_session_id).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('links the same bank twice as Plaid would: new Item and account ids, the same names and masks', () => {
    const first = fake.completeLink();
    const second = fake.completeLink();
    expect(second.publicToken).not.toBe(first.publicToken);
    expect(second.metadata.accounts.map((a) => a.id)).not.toEqual(first.metadata.accounts.map((a) => a.id));
    const nameAndMask = (link: typeof first) => link.metadata.accounts.map((a) => [a.name, a.mask]);
    expect(nameAndMask(second)).toEqual(nameAndMask(first));
  });
});
