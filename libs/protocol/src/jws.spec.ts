import { sign as edSign } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { decryptJwe, encryptJwe } from './jwe.js';
import {
  signCompact,
  signJwt,
  verifyCompact,
  verifyJwt,
  type JwtClaims,
  type JwtExpectations,
  type KeyResolver,
} from './jws.js';
import {
  generateAgreementKeyPair,
  generateSigningKeyPair,
  importPrivateJwk,
  privateKeyObject,
  toPublicJwk,
} from './keys.js';
import { directoryKeyResolver, jwksKeyResolver } from './resolvers.js';
import { readJsonVector } from './testing/vectors.js';

const rfc8037 = readJsonVector<{
  privateJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string };
  protectedHeader: { alg: string };
  payload: string;
  jws: string;
}>('rfc8037/ed25519.json.txt');

const NOW = 1_760_000_000;
const alice = generateSigningKeyPair();
const mallory = generateSigningKeyPair();
const resolver = jwksKeyResolver({ keys: [alice.publicJwk] });
const claims: JwtClaims = {
  iss: 'alice-bank',
  aud: 'bob-shop',
  iat: NOW,
  exp: NOW + 300,
  jti: 'message-0001',
};
const expectations: JwtExpectations = { typ: 'test+jwt', audience: 'bob-shop', now: NOW };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `crash: ${String(error)}`;
  }
}

function tamper(jws: string, part: 0 | 1 | 2, change: (decoded: string) => string): string {
  const parts = jws.split('.');
  parts[part] = Buffer.from(
    change(Buffer.from(parts[part] as string, 'base64url').toString('latin1')),
    'latin1',
  ).toString('base64url');
  return parts.join('.');
}

// The payload's encoded text changed, then signed again by alice: authentic, only the encoding is odd.
function resigned(jws: string, change: (encodedPayload: string) => string): string {
  const [encodedHeader, encodedPayload] = jws.split('.') as [string, string];
  const signingInput = `${encodedHeader}.${change(encodedPayload)}`;
  const signature = edSign(null, Buffer.from(signingInput, 'latin1'), privateKeyObject(alice.privateJwk));
  return `${signingInput}.${signature.toString('base64url')}`;
}

describe('compact JWS, EdDSA', () => {
  describe('RFC 8037 Appendix A.4', () => {
    const key = importPrivateJwk(rfc8037.privateJwk, 'Ed25519');

    it('produces the RFC signature byte for byte', () => {
      expect(signCompact(rfc8037.protectedHeader, Buffer.from(rfc8037.payload), key)).toBe(rfc8037.jws);
    });

    it('verifies the RFC JWS', () => {
      const { header, payload } = verifyCompact(rfc8037.jws, toPublicJwk(key));
      expect(header).toEqual({ alg: 'EdDSA' });
      expect(Buffer.from(payload).toString()).toBe(rfc8037.payload);
    });

    it('refuses the RFC JWS under another key', () => {
      expect(() => verifyCompact(rfc8037.jws, alice.publicJwk)).toThrow(
        expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
      );
    });
  });

  describe('interoperability with jose', () => {
    it('jose verifies what we sign', async () => {
      const jws = signJwt('test+jwt', claims, alice.privateJwk);
      const { payload, protectedHeader } = await compactVerify(
        jws,
        await importJWK(alice.publicJwk, 'EdDSA'),
      );
      expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid });
      expect(JSON.parse(Buffer.from(payload).toString())).toEqual(claims);
    });

    it('we verify what jose signs, and the bytes are the same', async () => {
      const ours = signJwt('test+jwt', claims, alice.privateJwk);
      const [encodedHeader, encodedPayload] = ours.split('.');
      const theirs = await new CompactSign(Buffer.from(encodedPayload as string, 'base64url'))
        .setProtectedHeader(JSON.parse(Buffer.from(encodedHeader as string, 'base64url').toString()))
        .sign(await importJWK(alice.privateJwk, 'EdDSA'));
      expect(theirs).toBe(ours);
      await expect(verifyJwt(theirs, resolver, expectations)).resolves.toMatchObject({ claims });
    });
  });

  describe('verifyJwt', () => {
    const jws = signJwt('test+jwt', claims, alice.privateJwk);

    it('accepts a good message', async () => {
      const verified = await verifyJwt(jws, resolver, expectations);
      expect(verified.header).toEqual({ alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid });
      expect(verified.claims).toEqual(claims);
    });

    it('accepts an async resolver', async () => {
      const asyncResolver: KeyResolver = async (kid) => (kid === alice.kid ? alice.publicJwk : undefined);
      await expect(verifyJwt(jws, asyncResolver, expectations)).resolves.toBeDefined();
    });

    it('verifies interleaved messages independently (no bytes shared across an await)', async () => {
      const asyncResolver: KeyResolver = async (kid) => (kid === alice.kid ? alice.publicJwk : undefined);
      const messages = Array.from({ length: 20 }, (_, i) =>
        i === 7
          ? signJwt(
              'test+jwt',
              { ...claims, jti: `message-${1000 + i}` },
              { ...mallory.privateJwk, kid: alice.kid },
            )
          : signJwt(
              'test+jwt',
              { ...claims, jti: `message-${1000 + i}`, sub: 'x'.repeat(i * 50) },
              alice.privateJwk,
            ),
      );
      const outcomes = await Promise.all(
        messages.map((message) => codeOf(verifyJwt(message, asyncResolver, expectations))),
      );
      expect(outcomes).toEqual(messages.map((_, i) => (i === 7 ? 'SIGNATURE_INVALID' : 'accepted')));
    });

    it.each<[string, () => string, Partial<JwtExpectations>, string]>([
      [
        'a forged signature',
        () => signJwt('test+jwt', claims, { ...mallory.privateJwk, kid: alice.kid }),
        {},
        'SIGNATURE_INVALID',
      ],
      [
        'a tampered payload',
        () => tamper(jws, 1, (p) => p.replace('alice-bank', 'alice-bink')),
        {},
        'SIGNATURE_INVALID',
      ],
      [
        'a tampered header',
        () => tamper(jws, 0, (h) => h.replace('test+jwt', 'test+jwx')),
        { typ: 'test+jwx' },
        'SIGNATURE_INVALID',
      ],
      ['a truncated signature', () => tamper(jws, 2, (sig) => sig.slice(0, 63)), {}, 'SIGNATURE_INVALID'],
      [
        'a non-canonical signature encoding',
        () => jws.slice(0, -1) + String.fromCharCode(jws.charCodeAt(jws.length - 1) ^ 1),
        {},
        'MALFORMED',
      ],
      ['a padded payload encoding', () => resigned(jws, (p) => `${p}==`), {}, 'MALFORMED'],
      [
        'a stray character in the payload',
        () => resigned(jws, (p) => `${p.slice(0, 9)}!${p.slice(9)}`),
        {},
        'MALFORMED',
      ],
      ['an unknown kid', () => signJwt('test+jwt', claims, mallory.privateJwk), {}, 'UNKNOWN_KEY'],
      ['a wrong typ', () => signJwt('other+jwt', claims, alice.privateJwk), {}, 'WRONG_TYPE'],
      ['an expired message', () => jws, { now: NOW + 300 + 61 }, 'EXPIRED'],
      ['a message from the future', () => jws, { now: NOW - 120 }, 'NOT_YET_VALID'],
      [
        'a message not yet valid',
        () => signJwt('test+jwt', { ...claims, nbf: NOW + 600 }, alice.privateJwk),
        {},
        'NOT_YET_VALID',
      ],
      ['a wrong audience', () => jws, { audience: 'carol-store' }, 'WRONG_AUDIENCE'],
      [
        'no audience when one is expected',
        () => signJwt('test+jwt', { ...claims, aud: undefined }, alice.privateJwk),
        {},
        'WRONG_AUDIENCE',
      ],
      ['a wrong issuer', () => jws, { issuer: 'carol-store' }, 'WRONG_ISSUER'],
      ['a replayed id', () => jws, { isReplayed: async (jti) => jti === 'message-0001' }, 'REPLAYED'],
      ['two parts', () => jws.split('.').slice(0, 2).join('.'), {}, 'MALFORMED'],
      ['four parts', () => `${jws}.x`, {}, 'MALFORMED'],
      ['garbage', () => 'not a jws at all', {}, 'MALFORMED'],
      [
        'a payload that is not JSON',
        () =>
          signCompact({ alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid }, Buffer.from('hi'), alice.privateJwk),
        {},
        'MALFORMED',
      ],
      [
        'a payload that is not canonical',
        () =>
          signCompact(
            { alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid },
            Buffer.from(JSON.stringify(claims, null, 1)),
            alice.privateJwk,
          ),
        {},
        'NOT_CANONICAL',
      ],
      [
        'alg none',
        () =>
          `${Buffer.from('{"alg":"none","kid":"x","typ":"test+jwt"}').toString('base64url')}.${jws.split('.')[1]}.`,
        {},
        'MALFORMED',
      ],
      ['alg HS256', () => tamper(jws, 0, (h) => h.replace('EdDSA', 'HS256')), {}, 'UNSUPPORTED_ALGORITHM'],
      [
        'a crit header',
        () =>
          signCompact(
            { alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid, crit: ['x'], x: 1 },
            Buffer.from('{}'),
            alice.privateJwk,
          ),
        {},
        'MALFORMED',
      ],
      [
        'an extra header member',
        () =>
          signCompact(
            { alg: 'EdDSA', typ: 'test+jwt', kid: alice.kid, jku: 'https://evil' },
            Buffer.from('{}'),
            alice.privateJwk,
          ),
        {},
        'MALFORMED',
      ],
      [
        'no kid',
        () => signCompact({ alg: 'EdDSA', typ: 'test+jwt' }, Buffer.from('{}'), alice.privateJwk),
        {},
        'MALFORMED',
      ],
      [
        'no exp',
        () => signJwt('test+jwt', { ...claims, exp: undefined } as unknown as JwtClaims, alice.privateJwk),
        {},
        'INVALID_CLAIMS',
      ],
      [
        'a fractional iat',
        () => signJwt('test+jwt', { ...claims, iat: NOW + 0.5 }, alice.privateJwk),
        {},
        'INVALID_CLAIMS',
      ],
      ['no jti', () => signJwt('test+jwt', { ...claims, jti: '' }, alice.privateJwk), {}, 'INVALID_CLAIMS'],
    ])('refuses %s', async (_name, make, override, code) => {
      expect(await codeOf(verifyJwt(make(), resolver, { ...expectations, ...override }))).toBe(code);
    });

    it('refuses a key that is not Ed25519', async () => {
      const x25519 = generateAgreementKeyPair();
      expect(await codeOf(verifyJwt(jws, () => x25519.publicJwk, expectations))).toBe('INVALID_KEY');
    });

    it('accepts any audience only when asked explicitly', async () => {
      await expect(verifyJwt(jws, resolver, { ...expectations, audience: null })).resolves.toBeDefined();
    });

    it('accepts an audience array that names us', async () => {
      const multi = signJwt('test+jwt', { ...claims, aud: ['federation', 'bob-shop'] }, alice.privateJwk);
      await expect(verifyJwt(multi, resolver, expectations)).resolves.toBeDefined();
    });

    it('binds keys to issuers through a directory', async () => {
      const directory = directoryKeyResolver({
        'alice-bank': { keys: [alice.publicJwk] },
        mallory: { keys: [mallory.publicJwk] },
      });
      await expect(verifyJwt(jws, directory, expectations)).resolves.toBeDefined();
      // Mallory signs with her own, known key but in Alice's name.
      const impersonation = signJwt('test+jwt', claims, mallory.privateJwk);
      expect(await codeOf(verifyJwt(impersonation, directory, expectations))).toBe('UNKNOWN_KEY');
      // A removed member's keys stop verifying at once.
      const afterRemoval = directoryKeyResolver(new Map([['mallory', { keys: [mallory.publicJwk] }]]));
      expect(await codeOf(verifyJwt(jws, afterRemoval, expectations))).toBe('UNKNOWN_KEY');
    });

    it('reports an auditor-chosen time', async () => {
      await expect(
        verifyJwt(jws, resolver, { ...expectations, now: NOW + 10_000_000 }),
      ).rejects.toMatchObject({ code: 'EXPIRED' });
      await expect(verifyJwt(jws, resolver, { ...expectations, now: NOW + 100 })).resolves.toBeDefined();
    });
  });
});

describe('JWE for a recipient', () => {
  const bob = generateAgreementKeyPair();

  it('round-trips bytes and strings', async () => {
    const jwe = await encryptJwe('{"records":[]}', bob.publicJwk, {
      typ: 'concordia-records+jwe',
      cty: 'json',
    });
    expect(jwe.split('.')).toHaveLength(5);
    const header = JSON.parse(Buffer.from(jwe.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: bob.kid,
      typ: 'concordia-records+jwe',
    });
    expect(
      Buffer.from(await decryptJwe(jwe, bob.privateJwk, { typ: 'concordia-records+jwe' })).toString(),
    ).toBe('{"records":[]}');
  });

  it('cannot be read by another key', async () => {
    const jwe = await encryptJwe(new Uint8Array([1, 2, 3]), bob.publicJwk);
    const carol = generateAgreementKeyPair();
    expect(await codeOf(decryptJwe(jwe, carol.privateJwk))).toBe('DECRYPTION_FAILED');
  });

  it('refuses a tampered ciphertext, a wrong typ, garbage and signing keys', async () => {
    const jwe = await encryptJwe('secret', bob.publicJwk, { typ: 'a' });
    const parts = jwe.split('.');
    parts[3] = Buffer.from('xxxxxx').toString('base64url');
    expect(await codeOf(decryptJwe(parts.join('.'), bob.privateJwk))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(decryptJwe(jwe, bob.privateJwk, { typ: 'b' }))).toBe('WRONG_TYPE');
    expect(await codeOf(decryptJwe('a.b.c', bob.privateJwk))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(encryptJwe('x', alice.publicJwk as never))).toBe('INVALID_KEY');
  });
});
