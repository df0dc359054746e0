import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';

/** Which key signs a fake webhook: the fake's current key, its expired one, or an impostor's. */
export type FakeWebhookKey = 'current' | 'expired' | 'wrong';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

/**
 * The fake's webhook signing keys (ES256, P-256), made with node:crypto so the testing entry needs
 * no JOSE library: a current key, an expired one (served with `expired_at` set), and an impostor's
 * key that signs under the current key's id but that `/webhook_verification_key/get` never serves.
 */
export class FakeWebhookKeys {
  #current: SigningKey;
  readonly #expired: SigningKey;
  readonly #impostor: KeyObject;
  readonly #served = new Map<string, { jwk: Record<string, unknown>; createdAt: number; expiredAt: number | null }>();
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
    const created = Math.floor(now().getTime() / 1000);
    this.#current = newKey();
    this.#expired = newKey();
    this.#impostor = newKey().privateKey;
    this.#served.set(this.#current.kid, { jwk: this.#current.jwk, createdAt: created, expiredAt: null });
    this.#served.set(this.#expired.kid, {
      jwk: this.#expired.jwk,
      createdAt: created - 86_400,
      expiredAt: created - 3_600,
    });
  }

  /** The id of the key that signs webhooks now. */
  get currentKeyId(): string {
    return this.#current.kid;
  }

  /** Starts signing with a new key (a new `kid`); the old one stays served, as at Plaid during a rotation. */
  rotate(): string {
    this.#current = newKey();
    this.#served.set(this.#current.kid, {
      jwk: this.#current.jwk,
      createdAt: Math.floor(this.#now().getTime() / 1000),
      expiredAt: null,
    });
    return this.#current.kid;
  }

  /** The key as `/webhook_verification_key/get` answers it, or `undefined` for an unknown id. */
  lookup(kid: string): Record<string, unknown> | undefined {
    const served = this.#served.get(kid);
    if (!served) return undefined;
    return { ...served.jwk, kid, alg: 'ES256', use: 'sig', created_at: served.createdAt, expired_at: served.expiredAt };
  }

  /** The `Plaid-Verification` JWT for `body` as Plaid makes it: `{ iat, request_body_sha256 }`, ES256. */
  sign(body: string, options: { key: FakeWebhookKey; signedAt: Date }): string {
    const key =
      options.key === 'expired'
        ? this.#expired
        : options.key === 'wrong'
          ? { ...this.#current, privateKey: this.#impostor }
          : this.#current;
    const header = { alg: 'ES256', kid: key.kid, typ: 'JWT' };
    const payload = {
      iat: Math.floor(options.signedAt.getTime() / 1000),
      request_body_sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    // JWS wants the raw r||s pair (IEEE P1363), not DER.
    const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { kid: randomUUID(), privateKey, jwk: { kty, crv, x, y } };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
