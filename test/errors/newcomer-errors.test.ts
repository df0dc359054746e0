/** Messages a newcomer meets first: a refused public token, and a call made with nothing. */
import {
  createPlaidFacade,
  EncryptedTokenStore,
  InvalidArgumentError,
  MemoryTokenStore,
  type PlaidApiError,
  type PlaidFacade,
} from 'plaid-facade';
import { createFakePlaid, type FakePlaidServer } from 'plaid-facade/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newKey } from '../stores/keys.js';

describe('messages for a newcomer', () => {
  const fake = createFakePlaid();
  let server: FakePlaidServer;
  let plaid: PlaidFacade;
  beforeAll(async () => {
    server = await fake.listen();
    plaid = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url });
  });
  afterAll(async () => {
    await plaid.close();
    await server.close();
  });

  it.each([
    ['reused', true],
    ['garbage', false],
  ])('a %s public token is not reported as merely "expired"', async (_, reuse) => {
    const publicToken = reuse ? fake.createPublicToken() : 'not-a-public-token';
    // Used up elsewhere (another service, another token store): the same store would answer its Item.
    if (reuse) {
      const elsewhere = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: server.url });
      await elsewhere.exchange({ userId: 'u1', publicToken });
      await elsewhere.close();
    }
    const error = (await plaid.exchange({ userId: 'u1', publicToken }).catch((e: unknown) => e)) as PlaidApiError;
    expect(error).toMatchObject({ name: 'PlaidApiError', code: 'INVALID_PUBLIC_TOKEN', retryable: false });
    expect(error.message).toMatch(/already exchanged/);
    expect(error.message).toMatch(/not a public token/);
    expect(error.message).toMatch(/link again/);
    expect(error.message).not.toContain(publicToken);
    // Plaid's own words stay available.
    expect(error.errorMessage).toMatch(/expired/);
  });

  it('linkToken() with nothing, or with a bare user id, says what it takes', async () => {
    const call = plaid.linkToken as (input?: unknown) => Promise<unknown>;
    const nothing = await call().catch((e: unknown) => e);
    expect(nothing).toBeInstanceOf(InvalidArgumentError);
    expect((nothing as Error).message).toBe(
      'Invalid linkToken input: (root): linkToken input is required: an object with userId',
    );
    const bare = await call('user-42').catch((e: unknown) => e);
    expect((bare as Error).message).toMatch(/must be an object with userId; got a string/);
    const exchange = plaid.exchange as (input?: unknown) => Promise<unknown>;
    expect(((await exchange().catch((e: unknown) => e)) as Error).message).toMatch(
      /exchange input is required: an object with userId, publicToken/,
    );
  });
});

describe('hints that name the fix', () => {
  const fake = createFakePlaid({ clientId: 'id', secret: 'the-sandbox-secret' });
  let server: FakePlaidServer;
  beforeAll(async () => {
    server = await fake.listen();
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => server.close());

  it('a wrong secret: INVALID_API_KEYS says each environment has its own secret', async () => {
    const plaid = createPlaidFacade({ clientId: 'id', secret: 'the-production-secret', basePath: server.url });
    const error = (await plaid.linkToken({ userId: 'u1' }).catch((e: unknown) => e)) as PlaidApiError;
    expect(error).toMatchObject({ code: 'INVALID_API_KEYS' });
    expect(error.message).toMatch(/each environment its own secret/);
    expect(error.message).toMatch(/PLAID_SECRET/);
    expect(error.message).not.toContain('the-production-secret');
    await plaid.close();
  });

  it.each([
    ['the option', false],
    ['PLAID_ENV', true],
  ])("the retired 'development' environment (from %s) names sandbox and production and their secrets", (_, fromEnv) => {
    if (fromEnv) vi.stubEnv('PLAID_ENV', 'development');
    const options = { clientId: 'id', secret: 's', ...(fromEnv ? {} : { environment: 'development' }) };
    const error = (() => {
      try {
        createPlaidFacade(options as never);
      } catch (caught) {
        return caught as InvalidArgumentError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/retired/);
    expect(error.message).toMatch(/sandbox secret/);
    expect(error.message.includes('PLAID_ENV')).toBe(fromEnv);
  });

  it('TOKEN_NOT_ENCRYPTED names allowPlaintext and reencrypt', async () => {
    const inner = new MemoryTokenStore();
    await inner.set({ userId: 'u1', itemId: 'i1', accessToken: 'access-sandbox-plain', createdAt: new Date() });
    const store = new EncryptedTokenStore({ store: inner, keys: [newKey('k1')] });
    const error = await store.get({ userId: 'u1', itemId: 'i1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_NOT_ENCRYPTED' });
    expect((error as Error).message).toMatch(/allowPlaintext: true/);
    expect((error as Error).message).toMatch(/reencrypt/);
    expect((error as Error).message).not.toContain('access-sandbox-plain');
  });

  it('the fake suggests the fault meant by a typo, and stays silent when nothing is near', () => {
    expect(() => fake.failNext('/accounts/balance/get', 'INSTITUTION_DWON')).toThrow(
      /did you mean "INSTITUTION_DOWN"\?/,
    );
    expect(() => fake.failNext('/accounts/balance/get', 'netwrok')).toThrow(/did you mean "network"\?/);
    expect(() => fake.failNext('/accounts/balance/get', 'SOMETHING_ELSE_ENTIRELY')).not.toThrow(/did you mean/);
    expect(() => fake.failNext('/accounts/balance/get', 'SOMETHING_ELSE_ENTIRELY')).toThrow(/unknown fault/);
  });
});
