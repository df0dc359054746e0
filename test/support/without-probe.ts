import type { TokenStore } from '../../src/index.js';

/**
 * `store` without its `probe()`: for tests of what happens when a store fails *after* the exchange
 * (it died between the probe and the write), which the probe would otherwise catch first.
 */
export function withoutProbe<T extends TokenStore>(store: T): TokenStore {
  return new Proxy(store, {
    get: (target, key, receiver) => {
      if (key === 'probe') return undefined;
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
