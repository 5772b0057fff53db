import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import {
  createJwks,
  deriveSharedKey,
  generateAgreementKeyPair,
  generateSigningKeyPair,
  importJwks,
  importPrivateJwk,
  importPublicJwk,
  jwkThumbprint,
  pseudonymKeyInfo,
  toPublicJwk,
  type X25519PublicJwk,
} from './keys.js';
import { readJsonVector } from './testing/vectors.js';

const rfc8037 = readJsonVector<{
  privateJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string };
  thumbprint: string;
}>('rfc8037/ed25519.json.txt');

describe('keys', () => {
  it('computes the RFC 8037 A.3 thumbprint', () => {
    expect(jwkThumbprint(rfc8037.privateJwk)).toBe(rfc8037.thumbprint);
  });

  it('agrees with jose calculateJwkThumbprint', async () => {
    const { publicJwk } = generateSigningKeyPair();
    expect(await calculateJwkThumbprint(publicJwk)).toBe(publicJwk.kid);
    const agreement = generateAgreementKeyPair();
    expect(await calculateJwkThumbprint(agreement.publicJwk)).toBe(agreement.kid);
  });

  it('generates named Ed25519 and X25519 pairs', () => {
    const signing = generateSigningKeyPair();
    expect(signing.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: signing.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(signing.privateJwk.d).toHaveLength(43);
    const agreement = generateAgreementKeyPair();
    expect(agreement.publicJwk.crv).toBe('X25519');
    expect(agreement.publicJwk.use).toBe('enc');
  });

  it('imports the RFC 8037 private key and names it by its thumbprint', () => {
    const imported = importPrivateJwk(rfc8037.privateJwk, 'Ed25519');
    expect(imported.kid).toBe(rfc8037.thumbprint);
    expect(toPublicJwk(imported)).not.toHaveProperty('d');
  });

  it('imports keys exported by jose', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    expect(importPublicJwk(jwk, 'Ed25519').kid).toBe(await calculateJwkThumbprint(jwk));
  });

  it.each([
    ['not an object', 'key'],
    ['an EC key', { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }],
    ['an unknown curve', { kty: 'OKP', crv: 'Ed448', x: 'AAAA' }],
    ['a short x', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    [
      'x that is not base64url',
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    ],
    [
      'a kid that is not the thumbprint',
      { kty: 'OKP', crv: 'Ed25519', x: rfc8037.privateJwk.x, kid: 'mine' },
    ],
    ['private material', rfc8037.privateJwk],
  ])('refuses a public JWK that is %s', (_name, jwk) => {
    expect(() => importPublicJwk(jwk)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/INVALID_KEY|MALFORMED/) }),
    );
  });

  it('refuses an Ed25519 key of small order, under which anyone can sign: the eight points, either sign', () => {
    const identity = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
    // Why: OpenSSL accepts, under the identity, R = identity and S = 0 for any message.
    const x = identity.toString('base64url');
    expect(
      verify(
        null,
        Buffer.from('anything at all'),
        createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }),
        Buffer.concat([identity, Buffer.alloc(32)]),
      ),
    ).toBe(true);
    const encodings = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ].map((hex) => Buffer.from(hex, 'hex'));
    for (const encoding of encodings) {
      for (const signBit of [0, 0x80]) {
        const point = Buffer.from(encoding);
        point[31] = (point[31]! & 0x7f) | signBit;
        expect(() => importPublicJwk({ kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') })).toThrow(
          expect.objectContaining({ code: 'INVALID_KEY', message: expect.stringMatching(/small order/) }),
        );
      }
    }
    // Keys of the prime order subgroup, as every key made by generateKeyPair, are taken.
    for (let i = 0; i < 20; i++) {
      const { publicJwk } = generateSigningKeyPair();
      expect(importPublicJwk(publicJwk).x).toBe(publicJwk.x);
    }
  });

  it('refuses the wrong curve when one is asked for', () => {
    const { publicJwk } = generateAgreementKeyPair();
    expect(() => importPublicJwk(publicJwk, 'Ed25519')).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it('refuses a private JWK whose d does not match x', () => {
    const other = generateSigningKeyPair();
    const { kty, crv, x } = rfc8037.privateJwk;
    expect(() => importPrivateJwk({ kty, crv, x, d: other.privateJwk.d })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it('round-trips a JWKS and refuses duplicates', () => {
    const a = generateSigningKeyPair();
    const b = generateAgreementKeyPair();
    const jwks = createJwks([a.privateJwk, b.publicJwk]);
    expect(jwks.keys.every((key) => !('d' in key))).toBe(true);
    expect(importJwks(JSON.parse(JSON.stringify(jwks)))).toEqual(jwks);
    expect(() => importJwks({ keys: [a.publicJwk, a.publicJwk] })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => importJwks({})).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });

  describe('deriveSharedKey', () => {
    const alice = generateAgreementKeyPair();
    const bob = generateAgreementKeyPair();
    const info = pseudonymKeyInfo('agreement-0001', ['bob-shop', 'alice-bank']);

    it('gives both partners the same key', () => {
      const forAlice = deriveSharedKey(alice.privateJwk, bob.publicJwk, info);
      const forBob = deriveSharedKey(bob.privateJwk, alice.publicJwk, info);
      expect(Buffer.from(forAlice).equals(Buffer.from(forBob))).toBe(true);
      expect(forAlice).toHaveLength(32);
    });

    it('gives another key for another agreement or party', () => {
      const one = deriveSharedKey(alice.privateJwk, bob.publicJwk, info);
      const other = deriveSharedKey(
        alice.privateJwk,
        bob.publicJwk,
        pseudonymKeyInfo('agreement-0002', ['alice-bank', 'bob-shop']),
      );
      const third = deriveSharedKey(alice.privateJwk, generateAgreementKeyPair().publicJwk, info);
      expect(Buffer.from(one).equals(Buffer.from(other))).toBe(false);
      expect(Buffer.from(one).equals(Buffer.from(third))).toBe(false);
    });

    it('builds the same info whatever the order of the parties', () => {
      expect(pseudonymKeyInfo('a-1', ['x', 'y'])).toBe(pseudonymKeyInfo('a-1', ['y', 'x']));
    });

    it('refuses a low-order public key', () => {
      const zero: X25519PublicJwk = {
        kty: 'OKP',
        crv: 'X25519',
        x: Buffer.alloc(32).toString('base64url'),
        kid: 'zero',
      };
      expect(() => deriveSharedKey(alice.privateJwk, zero, info)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    });

    it('refuses signing keys', () => {
      const signing = generateSigningKeyPair();
      expect(() => deriveSharedKey(signing.privateJwk as never, bob.publicJwk, info)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    });
  });
});
