import { describe, expect, it } from 'vitest';
import { MemoryBalanceCache, MemoryTokenStore, sameInstitutionAndAccount } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';
import type { BalanceCache } from '../../src/stores/balance-cache.js';
import type { TokenStore } from '../../src/stores/token-store.js';

const credentials = { clientId: 'id', secret: 'secret' };

// options/defaults.ts: every default is filled in by resolveOptions, none left for the facade to make.
describe('resolved options have no holes', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions(credentials, {});
    expect(options.environment).toBe('sandbox');
    expect(options.basePath).toBe('https://sandbox.plaid.com');
    expect(options.clientName).toBe('plaid-facade');
    expect(options.singleFlight).toBe(true);
    expect(options.tokenStoreTimeoutMs).toBe(5_000);
    expect(options.balanceCacheTimeoutMs).toBe(250);
    expect(options.maxBalanceAgeMs).toBe(86_400_000);
    expect(options.tokenStore).toBeInstanceOf(MemoryTokenStore);
    expect(options.balanceCache).toBeInstanceOf(MemoryBalanceCache);
    expect(options.duplicateItemRule).toBe(sameInstitutionAndAccount);
  });

  it('makes a new default store and cache for each facade', () => {
    const first = resolveOptions(credentials, {});
    const second = resolveOptions(credentials, {});
    expect(first.tokenStore).not.toBe(second.tokenStore);
    expect(first.balanceCache).not.toBe(second.balanceCache);
  });

  it('keeps what is given: duplicateItemRule false stays off', () => {
    expect(resolveOptions({ ...credentials, duplicateItemRule: false }, {}).duplicateItemRule).toBe(false);
  });

  it('hands the balance cache the token store only when one was given (the default has no keys to lend)', () => {
    const lent: TokenStore[] = [];
    const wrapped = new MemoryBalanceCache();
    const cache: BalanceCache = Object.assign(new MemoryBalanceCache(), {
      forTokenStore(store: TokenStore): BalanceCache {
        lent.push(store);
        return wrapped;
      },
    });
    expect(resolveOptions({ ...credentials, balanceCache: cache }, {}).balanceCache).toBe(cache);
    expect(lent).toEqual([]);
    const tokenStore = new MemoryTokenStore();
    expect(resolveOptions({ ...credentials, balanceCache: cache, tokenStore }, {}).balanceCache).toBe(wrapped);
    expect(lent).toEqual([tokenStore]);
  });
});
