import { describe, expect, it } from 'vitest';
import { accountsBalanceGetResponseSchema } from '../../src/schemas/accounts-balance-get.js';
import { itemPublicTokenExchangeResponseSchema } from '../../src/schemas/item-public-token-exchange.js';
import { linkTokenCreateResponseSchema } from '../../src/schemas/link-token-create.js';
import { balanceBody } from '../support/msw-plaid.js';

type Mutable = Record<string, unknown>;

function account(body: ReturnType<typeof balanceBody>): Mutable {
  return body.accounts[0] as unknown as Mutable;
}
function balances(body: ReturnType<typeof balanceBody>): Mutable {
  return account(body).balances as Mutable;
}

// The balance schema checks long account lists with turns of the event loop: it runs asynchronously.
describe("balance schema follows Plaid's required and nullable marks", () => {
  it('accepts null in every required-but-nullable field', async () => {
    const body = balanceBody('item-1');
    Object.assign(balances(body), {
      available: null,
      current: null,
      limit: null,
      iso_currency_code: null,
      unofficial_currency_code: null,
    });
    Object.assign(account(body), { mask: null, official_name: null, subtype: null });
    expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(true);
  });

  it.each(['available', 'current', 'limit', 'iso_currency_code', 'unofficial_currency_code'])(
    'rejects a balance without the required key %s',
    async (key) => {
      const body = balanceBody('item-1');
      delete balances(body)[key];
      const result = await accountsBalanceGetResponseSchema.safeParseAsync(body);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['accounts', 0, 'balances', key]);
    },
  );

  it.each(['account_id', 'balances', 'mask', 'name', 'official_name', 'type', 'subtype'])(
    'rejects an account without the required key %s',
    async (key) => {
      const body = balanceBody('item-1');
      delete account(body)[key];
      expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(false);
    },
  );

  it('rejects a wrong type where Plaid promises a number', async () => {
    const body = balanceBody('item-1');
    balances(body).current = '110.00';
    expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(false);
  });

  it('passes account types and subtypes Plaid adds later, and ignores unknown fields', async () => {
    const body = balanceBody('item-1');
    Object.assign(account(body), { type: 'tokenized', subtype: 'stablecoin wallet', brand_new_field: { x: 1 } });
    const result = await accountsBalanceGetResponseSchema.safeParseAsync({ ...body, another_new_field: true });
    expect(result.success).toBe(true);
    expect(result.data?.accounts[0]).toMatchObject({ type: 'tokenized', subtype: 'stablecoin wallet' });
    expect(result.data?.accounts[0]).not.toHaveProperty('brand_new_field');
  });

  it('rejects a last_updated_datetime that is not a date-time', async () => {
    const body = balanceBody('item-1');
    balances(body).last_updated_datetime = 'yesterday';
    expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(false);
  });

  it('names the path of a last_updated_datetime that is not a date-time, and reads a valid one', async () => {
    const body = balanceBody('item-1');
    balances(body).last_updated_datetime = '2024-02-30T00:00:00Z';
    const refused = await accountsBalanceGetResponseSchema.safeParseAsync(body);
    expect(refused.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['accounts', 0, 'balances', 'last_updated_datetime'], message: 'Expected an RFC 3339 date-time' },
    ]);
    balances(body).last_updated_datetime = '2024-02-29T10:00:00+01:00';
    const read = await accountsBalanceGetResponseSchema.safeParseAsync(body);
    expect(read.data?.accounts[0]?.balances.lastUpdated).toEqual(new Date('2024-02-29T09:00:00Z'));
  });

  it("requires the Item's item_id", async () => {
    const body = balanceBody('item-1') as Mutable;
    delete (body.item as Mutable).item_id;
    expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(false);
  });
});

describe('link token and exchange schemas', () => {
  it('parse expiration into a Date and require request_id', () => {
    const ok = linkTokenCreateResponseSchema.parse({
      link_token: 'l',
      expiration: '2026-11-25T18:00:00Z',
      request_id: 'r',
    });
    expect(ok.expiration).toEqual(new Date('2026-11-25T18:00:00Z'));
    expect(
      linkTokenCreateResponseSchema.safeParse({ link_token: 'l', expiration: '2026-11-25T18:00:00Z' }).success,
    ).toBe(false);
  });

  it('refuse an exchange answer without an access token', () => {
    expect(itemPublicTokenExchangeResponseSchema.safeParse({ item_id: 'i', request_id: 'r' }).success).toBe(false);
    expect(
      itemPublicTokenExchangeResponseSchema.safeParse({ access_token: '', item_id: 'i', request_id: 'r' }).success,
    ).toBe(false);
  });
});

describe('parts of the answer the facade does not use', () => {
  it('do not stop balance reads when Plaid leaves them out', async () => {
    const body = balanceBody('item-1') as Mutable;
    body.item = { item_id: 'item-1' };
    expect((await accountsBalanceGetResponseSchema.safeParseAsync(body)).success).toBe(true);
  });
});
