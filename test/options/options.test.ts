import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPlaidFacade,
  FacadeClosedError,
  InvalidArgumentError,
  MemoryTokenStore,
  type PlaidFacadeOptions,
} from '../../src/index.js';
import { createFakePlaid } from '../../src/testing/index.js';
import { brokenListeners, unhandledRejectionsDuring } from '../support/broken-listeners.js';
import { refusal } from '../support/refusal.js';

const credentials = { clientId: 'client-opt', secret: 'secret-opt-123' };
const fake = createFakePlaid(credentials);
let url = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ url, close } = await fake.listen());
});
afterEach(() => {
  vi.unstubAllEnvs();
  fake.reset();
});
afterAll(() => close());

describe('credentials from the environment', () => {
  it('reads PLAID_CLIENT_ID and PLAID_SECRET when the options leave them out', async () => {
    vi.stubEnv('PLAID_CLIENT_ID', credentials.clientId);
    vi.stubEnv('PLAID_SECRET', credentials.secret);
    const plaid = createPlaidFacade({ basePath: url });
    const { itemId } = await plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() });
    expect(itemId).toMatch(/\S/);
    await plaid.close();
  });

  it('prefers the options over the environment', async () => {
    vi.stubEnv('PLAID_CLIENT_ID', 'someone-else');
    vi.stubEnv('PLAID_SECRET', 'wrong-secret');
    const plaid = createPlaidFacade({ ...credentials, basePath: url });
    await expect(plaid.exchange({ userId: 'u', publicToken: fake.createPublicToken() })).resolves.toMatchObject({
      userId: 'u',
    });
    await plaid.close();
  });

  it('names the variable of a missing credential', () => {
    vi.stubEnv('PLAID_CLIENT_ID', undefined);
    vi.stubEnv('PLAID_SECRET', undefined);
    const error = refusal(() => createPlaidFacade());
    expect(error.message).toContain('PLAID_CLIENT_ID');
    expect(error.message).toContain('PLAID_SECRET');
  });

  it('names PLAID_ENV when it holds an unknown environment, without echoing secrets', () => {
    vi.stubEnv('PLAID_ENV', 'development');
    const error = refusal(() => createPlaidFacade(credentials));
    expect(error.message).toContain('PLAID_ENV');
    expect(error.message).not.toContain(credentials.secret);
  });
});

describe('production keeps tokens durably', () => {
  it('refuses production without a tokenStore, naming the option and the durable stores', () => {
    const error = refusal(() => createPlaidFacade({ ...credentials, environment: 'production' }));
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['tokenStore']);
    for (const name of ['PostgresTokenStore', 'RedisTokenStore', 'MemoryTokenStore'])
      expect(error.message).toContain(name);
  });

  it('refuses PLAID_ENV=production without a tokenStore too', () => {
    vi.stubEnv('PLAID_ENV', 'production');
    expect(refusal(() => createPlaidFacade(credentials)).issues[0]?.path).toEqual(['tokenStore']);
  });

  it('accepts an explicit MemoryTokenStore in production (tests, scripts)', async () => {
    const plaid = createPlaidFacade({ ...credentials, environment: 'production', tokenStore: new MemoryTokenStore() });
    await plaid.close();
  });
});

describe('options a newcomer gets wrong', () => {
  it('suggests the option meant by a known mistake or a typo', () => {
    expect(refusal(() => createPlaidFacade({ ...credentials, maxRetries: 2 } as PlaidFacadeOptions)).message).toContain(
      'maxRetries (did you mean retry.retries?)',
    );
    expect(refusal(() => createPlaidFacade({ ...credentials, basepath: url } as PlaidFacadeOptions)).message).toContain(
      'did you mean basePath?',
    );
  });

  it('accepts a basePath with a trailing slash', async () => {
    const plaid = createPlaidFacade({ ...credentials, basePath: `${url}/` });
    await expect(plaid.linkToken({ userId: 'u' })).resolves.toMatchObject({ linkToken: expect.any(String) });
    await plaid.close();
  });

  it('accepts options set to undefined (exactOptionalPropertyTypes, process.env.X)', () => {
    expect(() =>
      createPlaidFacade({ ...credentials, basePath: undefined, timeoutMs: undefined, retry: undefined }),
    ).not.toThrow();
  });

  it('refuses a secret that a header cannot carry, and delays beyond what timers allow', () => {
    for (const secret of ['abc\r\nX-Evil: 1', 'abc\u0000def', 'clé-ünïcødé-✓']) {
      const error = refusal(() => createPlaidFacade({ clientId: 'c', secret }));
      expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['secret']);
      expect(error.message).not.toContain(secret);
    }
    refusal(() => createPlaidFacade({ ...credentials, retry: { maxDelayMs: 2 ** 31 } }));
    refusal(() => createPlaidFacade({ ...credentials, timeoutMs: 2 ** 31 }));
  });

  it('turns an option whose getter throws into InvalidArgumentError naming it', () => {
    const options = {
      ...credentials,
      get timeoutMs(): number {
        throw new Error('boom');
      },
    };
    const error = refusal(() => createPlaidFacade(options));
    expect(error.issues[0]?.path).toEqual(['timeoutMs']);
  });

  it('says the input is required when an operation is called without one', async () => {
    const plaid = createPlaidFacade({ ...credentials, basePath: url });
    const error = await plaid.linkToken(undefined as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('linkToken input is required');
    await plaid.close();
  });
});

describe('close()', () => {
  it.each([
    ['with rate limits', undefined],
    ['with rateLimit: false', false as const],
  ])('refuses every later call, %s', async (_name, rateLimit) => {
    const plaid = createPlaidFacade({ ...credentials, basePath: url, rateLimit });
    await plaid.close();
    await expect(plaid.linkToken({ userId: 'u' })).rejects.toBeInstanceOf(FacadeClosedError);
    await expect(plaid.getBalances({ userId: 'u', itemId: 'i' })).rejects.toMatchObject({ code: 'FACADE_CLOSED' });
    expect(fake.calls).toEqual([]);
  });
});

describe('onEvent listeners', () => {
  it('a listener that throws or rejects never affects the call or the process', async () => {
    const unhandled = await unhandledRejectionsDuring(async () => {
      for (const onEvent of brokenListeners) {
        const plaid = createPlaidFacade({ ...credentials, basePath: url, onEvent });
        await expect(plaid.linkToken({ userId: 'u' })).resolves.toMatchObject({ linkToken: expect.any(String) });
        await plaid.close();
      }
    });
    expect(unhandled).toEqual([]);
  });
});
