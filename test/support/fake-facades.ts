import { afterAll, afterEach, beforeAll } from 'vitest';
import { createPlaidFacade, type PlaidFacade, type PlaidFacadeOptions } from '../../src/index.js';
import { createFakePlaid, type FakePlaid, type FakePlaidOptions } from '../../src/testing/index.js';

/**
 * A fake Plaid on loopback for a test file, and facades against it: the fake is reset and every
 * facade closed after each test. Facades default to no retry, so a failure shows at once.
 */
export function useFakePlaidFacades(): {
  fake: FakePlaid;
  facade: (options?: Partial<PlaidFacadeOptions>) => PlaidFacade;
  /** The fake's URL on loopback (for another process). */
  url: () => string;
} {
  const fake = createFakePlaid();
  let url = '';
  let close: () => Promise<void> = async () => {};
  const facades: PlaidFacade[] = [];
  beforeAll(async () => {
    ({ url, close } = await fake.listen());
  });
  afterEach(async () => {
    fake.reset();
    await Promise.all(facades.splice(0).map((facade) => facade.close()));
  });
  afterAll(() => close());
  const facade = (options: Partial<PlaidFacadeOptions> = {}): PlaidFacade => {
    const created = createPlaidFacade({ clientId: 'id', secret: 'secret', basePath: url, retry: false, ...options });
    facades.push(created);
    return created;
  };
  return { fake, facade, url: () => url };
}

/**
 * A fake Plaid on loopback for a test file, made with `options`: listening before the tests,
 * reset after each, closed after all. `url` is its address once listening.
 */
export function useFakePlaid(options?: FakePlaidOptions): { fake: FakePlaid; readonly url: string } {
  const fake = createFakePlaid(options);
  let url = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ url, close } = await fake.listen());
  });
  afterEach(() => fake.reset());
  afterAll(() => close());
  return {
    fake,
    get url() {
      return url;
    },
  };
}
