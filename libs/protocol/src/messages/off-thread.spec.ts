import { describe, expect, it } from '@jest/globals';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { jwksKeyResolver } from '../resolvers.js';
import { alice, federation, sampleClaims } from '../testing/fixtures.js';
import { signMessage, signMessageOffThread, verifyMessage } from './sign.js';

/**
 * Signing and verifying on libuv's threadpool (the bulk consents path, issue 17): the same bytes
 * as the synchronous calls, and as jose, both ways; an altered message is still refused.
 */
const resolver = jwksKeyResolver({ keys: [alice.publicJwk, federation.publicJwk] });

describe('Ed25519 JWS off the event loop', () => {
  const claims = sampleClaims()['consent-registration'];
  const kinds = ['consent-registration', 'consent'] as const;

  it.each(kinds)('signMessageOffThread gives the bytes signMessage gives (%s)', async (kind) => {
    // A fixed jti (otherwise a random one each time): the rest is deterministic.
    const input = { ...sampleClaims()[kind], jti: '7b0c7c42-31a4-4f32-9d5e-4b2f0c8b1a11' };
    const jws = await signMessageOffThread(kind, input as never, alice.privateJwk);
    expect(jws).toBe(signMessage(kind, input as never, alice.privateJwk));
  });

  it('jose verifies what is signed off the thread, and signs the same bytes', async () => {
    const ours = await signMessageOffThread('consent-registration', claims as never, alice.privateJwk);
    const { payload } = await compactVerify(ours, await importJWK(alice.publicJwk, 'EdDSA'));
    expect(JSON.parse(Buffer.from(payload).toString())).toMatchObject({
      registrationId: claims.registrationId,
    });
    const [encodedHeader, encodedPayload] = ours.split('.');
    const theirs = await new CompactSign(Buffer.from(encodedPayload as string, 'base64url'))
      .setProtectedHeader(JSON.parse(Buffer.from(encodedHeader as string, 'base64url').toString()))
      .sign(await importJWK(alice.privateJwk, 'EdDSA'));
    expect(theirs).toBe(ours);
    // What jose signed is accepted by the verification off the thread.
    await expect(
      verifyMessage('consent-registration', theirs, resolver, {
        audience: null,
        now: claims.iat,
        offThread: true,
      }),
    ).resolves.toMatchObject({ claims: { registrationId: claims.registrationId } });
  });

  it('off the thread, an altered payload or signature is refused as on it', async () => {
    const jws = signMessage('consent-registration', claims as never, alice.privateJwk);
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), recipient: 'carol-telco' };
    const altered = `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
    const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [altered, flipped]) {
      for (const offThread of [true, false]) {
        await expect(
          verifyMessage('consent-registration', forged, resolver, {
            audience: null,
            now: claims.iat,
            offThread,
          }),
        ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      }
    }
  });
});
