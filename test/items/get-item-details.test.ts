/**
 * `getItem` keeps what `/item/get` says of the Item (institution name, creation date, consent) with
 * the Item, and `listItems` returns it without calling Plaid. Tied to Plaid's description of those
 * fields (test/support/plaid-openapi-excerpt.json): `institution_name` and `consent_expiration_time`
 * nullable, `created_at` and the `consented_*` lists optional but never null.
 */
import { describe, expect, it } from 'vitest';
import {
  EncryptedTokenStore,
  MemoryTokenStore,
  type PlaidFacade,
  type StoredItem,
  type TokenStore,
} from '../../src/index.js';
import { itemGetResponseSchema } from '../../src/schemas/item-get.js';
import { newKey } from '../stores/keys.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';
import excerpt from '../support/plaid-openapi-excerpt.json' with { type: 'json' };

interface Property {
  type?: string;
  nullable?: boolean;
  format?: string;
}
type Described = { properties?: Record<string, Property>; required?: string[] };
const schemas = excerpt.schemas as unknown as Record<string, Described & { allOf?: Described[] }>;
const itemFields = { ...schemas.Item?.properties, ...schemas.ItemWithConsentFields?.allOf?.[1]?.properties };

const { fake, facade } = useFakePlaidFacades();
const userId = 'user-details';

/** A MemoryTokenStore that counts its writes. */
class CountingStore extends MemoryTokenStore {
  writes = 0;
  override async set(item: StoredItem): Promise<void> {
    this.writes += 1;
    await super.set(item);
  }
}

async function linked(plaid: PlaidFacade): Promise<string> {
  const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
  return itemId;
}

/** The next `/item/get` answers with the fake's Item, these fields replaced (`undefined` leaves one out). */
function nextItemGet(itemId: string, fields: Record<string, unknown>): void {
  const item: Record<string, unknown> = {
    item_id: itemId,
    institution_id: 'ins_109508',
    institution_name: 'First Platypus Bank',
    webhook: null,
    error: null,
    available_products: [],
    billed_products: ['auth'],
    consent_expiration_time: null,
    update_type: 'background',
    created_at: '2026-11-30T08:00:00Z',
    consented_products: ['auth'],
    consented_use_cases: [],
    consented_data_scopes: ['account_balance_info'],
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) delete item[field];
    else item[field] = value;
  }
  fake.failNext('/item/get', { status: 200, body: { item, request_id: 'req-details' } });
}

describe("Plaid's description of the fields getItem keeps", () => {
  it('institution_name and consent_expiration_time may be null; created_at and the consented_* lists may not', () => {
    expect(itemFields.institution_name).toMatchObject({ type: 'string', nullable: true });
    expect(itemFields.consent_expiration_time).toMatchObject({ format: 'date-time', nullable: true });
    expect(schemas.Item?.required).toContain('consent_expiration_time');
    expect(itemFields.created_at).toEqual({ type: 'string', format: 'date-time' });
    for (const field of ['consented_products', 'consented_use_cases', 'consented_data_scopes']) {
      expect(itemFields[field], field).toMatchObject({ type: 'array' });
      expect(itemFields[field]?.nullable, field).toBeUndefined();
    }
    // The facade's schema reads them so: a null where Plaid allows none is refused.
    const body = (item: Record<string, unknown>) => ({ item: { item_id: 'i', error: null, ...item }, request_id: 'r' });
    expect(itemGetResponseSchema.safeParse(body({ institution_name: null })).success).toBe(true);
    expect(itemGetResponseSchema.safeParse(body({ consent_expiration_time: null })).success).toBe(true);
    expect(itemGetResponseSchema.safeParse(body({ created_at: null })).success).toBe(false);
    expect(itemGetResponseSchema.safeParse(body({ consented_products: null })).success).toBe(false);
  });
});

describe.each([
  ['MemoryTokenStore', () => new MemoryTokenStore()],
  ['EncryptedTokenStore', () => new EncryptedTokenStore({ store: new MemoryTokenStore(), keys: [newKey('k1')] })],
] as Array<[string, () => TokenStore]>)('getItem → listItems (%s)', (_name, makeStore) => {
  it('listItems shows the name, creation date and consent once getItem has read them, without calling Plaid', async () => {
    const plaid = facade({ tokenStore: makeStore() });
    const itemId = await linked(plaid);
    const [before] = await plaid.listItems({ userId });
    expect(before).not.toHaveProperty('institutionName');
    expect(before).not.toHaveProperty('createdAt');
    expect(before).not.toHaveProperty('consent');

    const read = await plaid.getItem({ userId, itemId });
    const calls = fake.callsTo('/item/get').length;
    const [listed] = await plaid.listItems({ userId });
    expect(fake.callsTo('/item/get')).toHaveLength(calls);
    expect(listed).toMatchObject({
      itemId,
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      createdAt: read.createdAt,
      consent: { expiresAt: null, products: ['auth'], useCases: [], dataScopes: ['account_balance_info'] },
    });
    expect(listed?.createdAt).toBeInstanceOf(Date);
    expect(listed?.consent).toEqual(read.consent);
  });
});

describe('what getItem writes', () => {
  it('a consent with an expiry (UK/EU OAuth) is kept with its date; a later answer replaces it', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    nextItemGet(itemId, {
      consent_expiration_time: '2027-06-01T00:00:00Z',
      consented_use_cases: ['Check your balance'],
    });
    await plaid.getItem({ userId, itemId });
    expect((await plaid.listItems({ userId }))[0]).toMatchObject({
      createdAt: new Date('2026-11-30T08:00:00Z'),
      consent: {
        expiresAt: new Date('2027-06-01T00:00:00Z'),
        products: ['auth'],
        useCases: ['Check your balance'],
        dataScopes: ['account_balance_info'],
      },
    });
    // The user renewed the consent and Plaid renamed the bank.
    nextItemGet(itemId, { institution_name: 'Platypus Bank', consent_expiration_time: '2028-06-01T00:00:00Z' });
    await plaid.getItem({ userId, itemId });
    const [listed] = await plaid.listItems({ userId });
    expect(listed?.institutionName).toBe('Platypus Bank');
    expect(listed?.consent?.expiresAt).toEqual(new Date('2028-06-01T00:00:00Z'));
    expect(listed?.consent?.useCases).toEqual([]);
  });

  it('a field Plaid leaves out (or gives as null) never erases what the store has', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    await plaid.getItem({ userId, itemId });
    const [known] = await plaid.listItems({ userId });
    nextItemGet(itemId, {
      institution_name: null,
      created_at: undefined,
      consent_expiration_time: undefined,
      consented_products: undefined,
      consented_use_cases: undefined,
      consented_data_scopes: undefined,
    });
    const read = await plaid.getItem({ userId, itemId });
    // getItem says what Plaid said; the store keeps what it knew.
    expect(read).toMatchObject({ institutionName: null, createdAt: null });
    const [listed] = await plaid.listItems({ userId });
    expect(listed?.institutionName).toBe('First Platypus Bank');
    expect(listed?.createdAt).toEqual(known?.createdAt);
    expect(listed?.consent).toEqual(known?.consent);
  });

  it('writes only when Plaid says something new (the same answer twice writes once)', async () => {
    const store = new CountingStore();
    const plaid = facade({ tokenStore: store });
    const itemId = await linked(plaid);
    const afterLinking = store.writes;
    await plaid.getItem({ userId, itemId });
    expect(store.writes).toBe(afterLinking + 1);
    await plaid.getItem({ userId, itemId });
    await plaid.getItem({ userId, itemId });
    expect(store.writes).toBe(afterLinking + 1);
    nextItemGet(itemId, { consented_products: ['auth', 'transactions'] });
    await plaid.getItem({ userId, itemId });
    expect(store.writes).toBe(afterLinking + 2);
    // The write kept the token, health and accounts: the Item still works.
    const stored = await store.get({ userId, itemId });
    expect(stored?.accessToken).toBe(fake.item(itemId).accessToken);
    expect(stored?.consent?.products).toEqual(['auth', 'transactions']);
    await expect(plaid.getBalances({ userId, itemId })).resolves.toMatchObject({ itemId });
  });

  it('changing what listItems returned does not change the store', async () => {
    const plaid = facade();
    const itemId = await linked(plaid);
    await plaid.getItem({ userId, itemId });
    const [first] = await plaid.listItems({ userId });
    first?.consent?.products.push('injected');
    first?.createdAt?.setTime(0);
    const [again] = await plaid.listItems({ userId });
    expect(again?.consent?.products).toEqual(['auth']);
    expect(again?.createdAt?.getTime()).not.toBe(0);
  });
});
