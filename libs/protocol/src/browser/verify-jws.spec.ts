import { describe, expect, it } from '@jest/globals';
import { createJwks, generateSigningKeyPair, signJwt } from '../index.js';
import { verifyJwsWithJwks } from './verify-jws.js';

// The browser check must agree with the node's signer: the same JWS verifies, a changed one does not.
describe('verifyJwsWithJwks (WebCrypto)', () => {
  const pair = generateSigningKeyPair();
  const jwks = createJwks([pair.publicJwk]);
  const jws = signJwt(
    'merge-result',
    { iss: 'federation', iat: 1, exp: 4_000_000_000, jti: 'j-1', mergeId: 'm-1' },
    pair.privateJwk,
  );

  it('verifies what signJwt signed, with the claims', async () => {
    const check = await verifyJwsWithJwks(jws, JSON.stringify(jwks));
    expect(check).toMatchObject({ valid: true, kid: pair.publicJwk.kid, claims: { mergeId: 'm-1' } });
  });

  it('refuses a changed payload, an unknown key and garbage, saying why', async () => {
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from('{"mergeId":"m-2"}').toString('base64url')}.${s}`;
    expect(await verifyJwsWithJwks(forged, jwks)).toMatchObject({
      valid: false,
      reason: 'SIGNATURE_INVALID',
    });
    const other = createJwks([generateSigningKeyPair().publicJwk]);
    expect(await verifyJwsWithJwks(jws, other)).toMatchObject({ valid: false, reason: 'UNKNOWN_KEY' });
    expect(await verifyJwsWithJwks('a.b', jwks)).toEqual({ valid: false, reason: 'MALFORMED' });
  });
});
