import { describe, expect, it } from '@jest/globals';
import { generateSigningKeyPair } from './keys.js';
import { signJwt } from './jws.js';
import { peekJwsIds, unverifiedJwsPart, unverifiedKid } from './peek.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('reading a JWS without verifying it', () => {
  const key = generateSigningKeyPair();
  const jws = signJwt(
    'concordia-test+jwt',
    { iss: 'alice-bank', iat: 1, exp: 2, jti: 'msg-1' },
    key.privateJwk,
  );

  it('reads the header, the claims and the ids of a signed message', () => {
    expect(unverifiedJwsPart(jws, 'header')).toEqual({
      alg: 'EdDSA',
      typ: 'concordia-test+jwt',
      kid: key.kid,
    });
    expect(unverifiedJwsPart(jws, 'claims')).toMatchObject({ iss: 'alice-bank', jti: 'msg-1' });
    expect(unverifiedKid(jws)).toBe(key.kid);
    expect(peekJwsIds(jws)).toEqual({ issuer: 'alice-bank', kid: key.kid, jti: 'msg-1' });
  });

  it('gives nothing for what is not a JWS of JSON objects, and drops values that do not look like ids', () => {
    for (const bad of [42, null, '', 'a.b.c', `${b64([1, 2])}.${b64('text')}.sig`]) {
      expect(unverifiedJwsPart(bad, 'header')).toBeUndefined();
      expect(unverifiedJwsPart(bad, 'claims')).toBeUndefined();
      expect(unverifiedKid(bad)).toBeUndefined();
      expect(peekJwsIds(bad)).toEqual({ issuer: null, kid: null, jti: null });
    }
    const odd = `${b64({ kid: 'a kid with spaces' })}.${b64({ iss: 'Not An Id!', jti: 'x'.repeat(200) })}.sig`;
    expect(peekJwsIds(odd)).toEqual({ issuer: null, kid: null, jti: null });
  });
});
