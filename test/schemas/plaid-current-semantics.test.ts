/**
 * Plaid's current semantics, tied to its OpenAPI description (test/support/plaid-openapi-excerpt.json,
 * copied from the structure of Plaid's 2020-09-14 description): `/item/products/terminate` with a
 * `reason_code` for `removeItem` (and `/item/remove` only where terminate is not available to the
 * client), `error_code_reason` on errors and Item health, and `/item/get`'s newer fields.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  InvalidArgumentError,
  MemoryTokenStore,
  PlaidApiError,
  type PlaidFacade,
  type RemoveItemReason,
} from '../../src/index.js';
import { itemGetResponseSchema } from '../../src/schemas/item-get.js';
import { removeReasonCodes, terminateReasonCodes } from '../../src/schemas/item-products-terminate.js';
import { plaidErrorSchema } from '../../src/schemas/plaid-error.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';
import excerpt from '../support/plaid-openapi-excerpt.json' with { type: 'json' };

interface ObjectSchema {
  properties?: Record<string, unknown>;
  required?: string[];
  enum?: Array<string | null>;
}
const schemas = excerpt.schemas as unknown as Record<string, ObjectSchema & { allOf?: ObjectSchema[] }>;
const schema = (name: string): ObjectSchema => {
  const found = schemas[name];
  if (!found) throw new Error(`no ${name} in the excerpt`);
  return found;
};

const { fake, facade } = useFakePlaidFacades();
const userId = 'user-terminate';

async function linked(plaid: PlaidFacade): Promise<string> {
  const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
  return itemId;
}

describe("the excerpt is Plaid's", () => {
  // The shared copy of Plaid's description, where this repository is developed; absent elsewhere.
  const source = process.env.PLAID_OPENAPI_STRUCTURE ?? '/work/shared/plaid-openapi/2020-09-14.structure.yml';
  it.skipIf(!existsSync(source))('matches the structure file it was copied from', async () => {
    const { parse } = await import('yaml');
    const document = parse(readFileSync(source, 'utf8')) as { components: { schemas: Record<string, unknown> } };
    for (const [name, copied] of Object.entries(excerpt.schemas)) {
      expect(document.components.schemas[name], name).toEqual(copied);
    }
  });
});

describe('schemas follow the excerpt', () => {
  it("the terminate reasons are Plaid's ProductsTerminateReasonCode, /item/remove's its ItemRemoveReasonCode", () => {
    expect([...terminateReasonCodes]).toEqual(schema('ProductsTerminateReasonCode').enum);
    expectTypeOf<RemoveItemReason>().toEqualTypeOf<(typeof terminateReasonCodes)[number]>();
    expect([...removeReasonCodes]).toEqual(schema('ItemRemoveReasonCode').enum?.filter((code) => code !== null));
  });

  it('the terminate request carries exactly the required fields, and only known ones', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    await plaid.removeItem({ userId, itemId });
    const [call] = fake.callsTo('/item/products/terminate');
    const request = schema('ItemProductsTerminateRequest');
    const sent = Object.keys(call?.body ?? {});
    for (const field of request.required ?? []) expect(sent).toContain(field);
    for (const field of sent) expect(Object.keys(request.properties ?? {})).toContain(field);
  });

  it("PlaidError: error_code_reason is read (nullable string), Plaid's required fields suffice", () => {
    const required = Object.fromEntries(
      (schema('PlaidError').required ?? []).map((field) => [field, field === 'display_message' ? null : 'X']),
    );
    expect(plaidErrorSchema.parse({ ...required, error_type: 'ITEM_ERROR' }).error_code_reason).toBeUndefined();
    for (const reason of ['OAUTH_CONSENT_EXPIRED', 'OAUTH_USER_REVOKED', 'OAUTH_INVALID_TOKEN', null]) {
      const parsed = plaidErrorSchema.parse({ ...required, error_type: 'ITEM_ERROR', error_code_reason: reason });
      expect(parsed.error_code_reason).toBe(reason);
    }
  });

  it('/item/get: every field of ItemWithConsentFields the facade reads is one Plaid describes, and typed as there', () => {
    const item = schema('Item');
    const withConsent = schemas.ItemWithConsentFields?.allOf?.[1]?.properties ?? {};
    const described = new Set([...Object.keys(item.properties ?? {}), ...Object.keys(withConsent)]);
    const read = Object.keys(itemGetResponseSchema.shape.item.shape);
    for (const field of read) expect(described, field).toContain(field);
    // A full answer, with every required member and the newer fields, is accepted and read.
    const body = {
      item: {
        item_id: 'item-1',
        institution_id: 'ins_1',
        institution_name: 'First Platypus Bank',
        webhook: null,
        auth_method: null,
        error: null,
        available_products: [],
        billed_products: ['balance'],
        consent_expiration_time: '2027-06-01T00:00:00Z',
        update_type: 'background',
        created_at: '2026-12-01T10:00:00Z',
        consented_products: ['balance'],
        consented_use_cases: ['Check your balance'],
        consented_data_scopes: ['account_balance_info'],
      },
      status: null,
      request_id: 'req-1',
    };
    for (const field of item.required ?? []) expect(Object.keys(body.item)).toContain(field);
    const parsed = itemGetResponseSchema.parse(body);
    expect(parsed.item.created_at).toEqual(new Date('2026-12-01T10:00:00Z'));
    expect(parsed.item.consent_expiration_time).toEqual(new Date('2027-06-01T00:00:00Z'));
    // and a wrong one refused
    expect(itemGetResponseSchema.safeParse({ ...body, item: { ...body.item, created_at: 'yesterday' } }).success).toBe(
      false,
    );
    expect(
      itemGetResponseSchema.safeParse({ ...body, item: { ...body.item, consented_products: 'balance' } }).success,
    ).toBe(false);
  });
});

describe('removeItem: /item/products/terminate', () => {
  it("sends reason_code USER_OFFBOARDING by default, and the Item's token stops working", async () => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const itemId = await linked(plaid);
    const accessToken = fake.item(itemId).accessToken;
    await expect(plaid.removeItem({ userId, itemId })).resolves.toMatchObject({
      itemId,
      requestId: expect.any(String),
    });
    expect(fake.callsTo('/item/products/terminate').map((call) => call.body)).toEqual([
      { access_token: accessToken, reason_code: 'USER_OFFBOARDING' },
    ]);
    expect(fake.callsTo('/item/remove')).toEqual([]);
    expect(await store.get({ userId, itemId })).toBeUndefined();
  });

  it('sends the reason given', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    await plaid.removeItem({ userId, itemId, reason: 'DUPLICATE_ITEM' });
    expect(fake.callsTo('/item/products/terminate')[0]?.body).toMatchObject({ reason_code: 'DUPLICATE_ITEM' });
  });

  it('refuses an unknown reason before any request', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    const error = await plaid.removeItem({ userId, itemId, reason: 'BORED' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(fake.callsTo('/item/products/terminate')).toEqual([]);
  });

  it.each(['INVALID_PRODUCT', 'UNAUTHORIZED_ROUTE_ACCESS'])(
    'falls back to /item/remove when terminate is refused as not available (%s)',
    async (code) => {
      const store = new MemoryTokenStore();
      const plaid = facade({ tokenStore: store });
      const itemId = await linked(plaid);
      fake.failNext('/item/products/terminate', code);
      await plaid.removeItem({ userId, itemId, reason: 'FRAUD_ABUSE' });
      // /item/remove knows FRAUD_ABUSE: it is passed on
      expect(fake.callsTo('/item/remove').map((call) => call.body?.reason_code)).toEqual(['FRAUD_ABUSE']);
      expect(await store.get({ userId, itemId })).toBeUndefined();
    },
  );

  it('falls back on a 404 NOT_FOUND (no such endpoint), leaving out a reason /item/remove does not know', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    fake.failNext('/item/products/terminate', 'NOT_FOUND');
    await plaid.removeItem({ userId, itemId });
    expect(fake.callsTo('/item/remove').map((call) => call.body)).toEqual([
      { access_token: fake.item(itemId).accessToken },
    ]);
  });

  it.each([
    ['a transient failure', 'INTERNAL_SERVER_ERROR'],
    ['an institution outage', 'INSTITUTION_DOWN'],
    ['an Item error', 'ITEM_LOGIN_REQUIRED'],
    ['an invalid request', 'INVALID_FIELD'],
  ])('never falls back on %s: the error reaches the caller and the token stays', async (_, code) => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const itemId = await linked(plaid);
    fake.failNext('/item/products/terminate', code);
    await expect(plaid.removeItem({ userId, itemId })).rejects.toMatchObject({ code });
    expect(fake.callsTo('/item/remove')).toEqual([]);
    expect(await store.get({ userId, itemId })).toBeDefined();
  });

  it('an Item already gone (INVALID_ACCESS_TOKEN) is finished locally, with no /item/remove', async () => {
    const store = new MemoryTokenStore();
    const plaid = facade({ tokenStore: store });
    const itemId = await linked(plaid);
    fake.failNext('/item/products/terminate', 'INVALID_ACCESS_TOKEN');
    await plaid.removeItem({ userId, itemId });
    expect(fake.callsTo('/item/remove')).toEqual([]);
    expect(await store.get({ userId, itemId })).toBeUndefined();
  });

  it("the fake refuses a terminate without Plaid's required reason_code", async () => {
    const { createFakePlaid } = await import('../../src/testing/index.js');
    const other = createFakePlaid();
    const { url, close } = await other.listen();
    try {
      const answer = await fetch(`${url}/item/products/terminate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'plaid-client-id': 'id', 'plaid-secret': 'secret' },
        body: JSON.stringify({ access_token: 'access-sandbox-x' }),
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error_code: 'MISSING_FIELDS' });
    } finally {
      await close();
    }
  });
});

describe('error_code_reason', () => {
  it('PlaidApiError.errorCodeReason and ItemHealth.reason tell an expired OAuth consent', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    fake.failNext('/accounts/balance/get', {
      error_code: 'ITEM_LOGIN_REQUIRED',
      error_type: 'ITEM_ERROR',
      error_code_reason: 'OAUTH_CONSENT_EXPIRED',
    });
    const error = await plaid.getBalances({ userId, itemId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect((error as PlaidApiError).errorCodeReason).toBe('OAUTH_CONSENT_EXPIRED');
    const [listed] = await plaid.listItems({ userId });
    expect(listed?.health).toMatchObject({
      status: 'login_required',
      errorCode: 'ITEM_LOGIN_REQUIRED',
      reason: 'OAUTH_CONSENT_EXPIRED',
    });
  });

  it('is null when Plaid gives none', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    fake.failNext('/accounts/balance/get', 'ITEM_LOGIN_REQUIRED');
    const error = (await plaid.getBalances({ userId, itemId }).catch((e: unknown) => e)) as PlaidApiError;
    expect(error.errorCodeReason).toBeNull();
    const [listed] = await plaid.listItems({ userId });
    expect(listed?.health.reason).toBeUndefined();
  });
});

describe('getItem keeps what /item/get says of the Item', () => {
  it('institutionName, createdAt and the consent fields', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    const result = await plaid.getItem({ userId, itemId });
    expect(result).toMatchObject({
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      createdAt: expect.any(Date),
      consent: { expiresAt: null, products: ['auth'], useCases: [], dataScopes: ['account_balance_info'] },
    });
  });

  it("an Item's error reason from /item/get reaches its health", async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    fake.failNext('/item/get', {
      status: 200,
      body: {
        item: {
          item_id: itemId,
          institution_id: 'ins_109508',
          error: {
            error_type: 'ITEM_ERROR',
            error_code: 'ITEM_LOGIN_REQUIRED',
            error_code_reason: 'OAUTH_USER_REVOKED',
            error_message: 'the user revoked access',
            display_message: null,
          },
        },
        request_id: 'req-get',
      },
    });
    const result = await plaid.getItem({ userId, itemId });
    expect(result.health).toMatchObject({ status: 'login_required', reason: 'OAUTH_USER_REVOKED' });
    expect(result).toMatchObject({ institutionName: null, createdAt: null });
  });
});
