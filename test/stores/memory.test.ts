import { describe, it } from 'vitest';
import { EncryptedTokenStore } from '../../src/stores/encrypted.js';
import { MemoryTokenStore } from '../../src/stores/memory.js';
import { tokenStoreContract } from '../../src/testing/index.js';
import { newKey } from './keys.js';

describe('MemoryTokenStore: token store contract', () => {
  for (const c of tokenStoreContract(() => new MemoryTokenStore())) it(c.name, c.run);
});

describe('EncryptedTokenStore over MemoryTokenStore: token store contract', () => {
  const keys = [newKey('k1')];
  for (const c of tokenStoreContract(() => new EncryptedTokenStore({ store: new MemoryTokenStore(), keys }))) {
    it(c.name, c.run);
  }
});
