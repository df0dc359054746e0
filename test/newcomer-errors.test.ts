/** Messages a newcomer meets first: a refused public token, and a call made with nothing. */
import { createPlaidFacade, InvalidArgumentError, type PlaidApiError, type PlaidFacade } from 'plaid-facade';
import { createFakePlaid, type FakePlaidServer } from 'plaid-facade/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
