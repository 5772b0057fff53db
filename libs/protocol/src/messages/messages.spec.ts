import { describe, expect, it } from '@jest/globals';
import { jwksKeyResolver, selfSignedKeyResolver } from '../resolvers.js';
import { canonicalize } from '../jcs.js';
import { signCompact, signJwt } from '../jws.js';
import { generateSigningKeyPair } from '../keys.js';
import { alice, bob, DAY, federation, NOW, sampleClaims } from '../testing/fixtures.js';
import { MESSAGE_KINDS, messageKindOfTyp, type MessageKind } from './kinds.js';
import { jwsHash, peekMessageKind, signMessage, verifyMessage, type MessageExpectations } from './sign.js';
import { DPV_PURPOSES, isAllowedAgreementTransition, PURPOSES } from './vocabulary.js';

const resolver = jwksKeyResolver({ keys: [alice.publicJwk, bob.publicJwk, federation.publicJwk] });
const signerOf = (iss: string) =>
  (iss === 'federation' ? federation : iss === 'bob-shop' ? bob : alice).privateJwk;
const KINDS = Object.keys(MESSAGE_KINDS) as MessageKind[];

function expectationsFor(claims: { aud?: string | string[]; iss: string }): MessageExpectations {
  const aud = claims.aud;
  return {
    audience: aud === undefined ? null : typeof aud === 'string' ? aud : (aud[0] as string),
    now: NOW,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `crash: ${String(error)}`;
  }
}

describe('protocol messages', () => {
  describe.each(KINDS)('%s', (kind) => {
    const claims = sampleClaims()[kind];
    const jws = signMessage(kind, claims as never, signerOf(claims.iss));

    it('round-trips through sign and verify', async () => {
      const verified = await verifyMessage(kind, jws, resolver, expectationsFor(claims));
      expect(verified.kind).toBe(kind);
      expect(verified.header.typ).toBe(MESSAGE_KINDS[kind].typ);
      expect(verified.claims).toMatchObject(claims as object);
      expect(verified.claims.jti).toEqual(expect.any(String));
      expect(peekMessageKind(jws)).toBe(kind);
    });

    it('is never taken for another kind', async () => {
      for (const other of KINDS.filter((candidate) => candidate !== kind)) {
        expect(await codeOf(verifyMessage(other, jws, resolver, expectationsFor(claims)))).toBe('WRONG_TYPE');
      }
    });

    it('refuses claims of another kind under its typ', async () => {
      const otherKind = kind === 'consent' ? 'share' : 'consent';
      const other = { ...sampleClaims()[otherKind], jti: 'message-0002' };
      const smuggled = signJwt(MESSAGE_KINDS[kind].typ, other as never, signerOf(other.iss));
      expect(
        await codeOf(verifyMessage(kind, smuggled, resolver, { ...expectationsFor(other), audience: null })),
      ).toBe('INVALID_CLAIMS');
    });

    it('signs its claims as their canonical JSON, and refuses any other writing of them', async () => {
      const [, payload] = jws.split('.');
      const signed = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')) as object;
      expect(Buffer.from(payload as string, 'base64url').toString('utf8')).toBe(canonicalize(signed));
      const text = canonicalize(signed);
      const signer = signerOf(claims.iss);
      const header = { alg: 'EdDSA', typ: MESSAGE_KINDS[kind].typ, kid: signer.kid };
      // Spaces, members out of order, an escape where none is needed, a number written otherwise.
      const rewritings = [
        JSON.stringify(signed, null, 1),
        JSON.stringify(Object.fromEntries(Object.entries(signed).reverse())),
        text.replace('"iss":"', '"i\\u0073s":"'),
        text.replace(/"exp":(\d+)/, '"exp":$1.0'),
      ];
      for (const rewritten of rewritings) {
        expect(rewritten).not.toBe(text);
        const forged = signCompact(header, Buffer.from(rewritten), signer);
        expect(await codeOf(verifyMessage(kind, forged, resolver, expectationsFor(claims)))).toBe(
          'NOT_CANONICAL',
        );
      }
    });

    it('refuses to sign an unknown claim', () => {
      expect(() => signMessage(kind, { ...claims, extra: 1 } as never, signerOf(claims.iss))).toThrow(
        expect.objectContaining({ code: 'INVALID_CLAIMS' }),
      );
    });

    it('refuses to sign without exp', () => {
      expect(() => signMessage(kind, { ...claims, exp: undefined } as never, signerOf(claims.iss))).toThrow(
        expect.objectContaining({ code: 'INVALID_CLAIMS' }),
      );
    });
  });

  it('fills iat and jti', async () => {
    const { iat: _iat, ...claims } = sampleClaims().consent;
    const jws = signMessage('consent', claims, alice.privateJwk, { now: NOW + 5 });
    const { claims: verified } = await verifyMessage('consent', jws, resolver, {
      audience: null,
      now: NOW + 5,
    });
    expect(verified.iat).toBe(NOW + 5);
    expect(verified.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('refusals', () => {
    const share = sampleClaims().share;
    const jws = signMessage('share', share, alice.privateJwk);
    const expectations: MessageExpectations = { audience: 'bob-shop', now: NOW };

    it.each<[string, () => string, Partial<MessageExpectations>, string]>([
      [
        'a forged signature',
        () => signMessage('share', share, { ...bob.privateJwk, kid: alice.kid }),
        {},
        'SIGNATURE_INVALID',
      ],
      [
        'a tampered payload',
        () => {
          const [h, p, s] = jws.split('.');
          const claims = JSON.parse(Buffer.from(p as string, 'base64url').toString());
          claims.purpose = 'marketing';
          return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
        },
        {},
        'SIGNATURE_INVALID',
      ],
      ['an unknown kid', () => jws, {}, 'UNKNOWN_KEY'],
      ['an expired envelope', () => jws, { now: NOW + DAY }, 'EXPIRED'],
      ['a wrong audience', () => jws, { audience: 'carol-store' }, 'WRONG_AUDIENCE'],
      ['a wrong issuer', () => jws, { issuer: 'bob-shop' }, 'WRONG_ISSUER'],
      ['a replayed id', () => jws, { isReplayed: () => true }, 'REPLAYED'],
      ['garbage', () => 'garbage', {}, 'MALFORMED'],
    ])('refuses %s', async (name, make, override, code) => {
      const keys = name === 'an unknown kid' ? jwksKeyResolver({ keys: [bob.publicJwk] }) : resolver;
      expect(await codeOf(verifyMessage('share', make(), keys, { ...expectations, ...override }))).toBe(code);
    });
  });

  describe('claim rules', () => {
    const samples = sampleClaims();
    it.each<[string, MessageKind, object]>([
      ['an application signed for someone else', 'membership-application', { sub: 'bob-shop' }],
      ['an http endpoint with a bad scheme', 'membership-application', { endpoint: 'ftp://alice.example' }],
      ['a removed member that keeps keys', 'membership-statement', { status: 'removed' }],
      [
        'a key both signing and historical',
        'membership-statement',
        { historicalKeys: [{ jwk: alice.publicJwk, retiredAt: NOW - 60 }] },
      ],
      [
        'a historical key without its retirement time',
        'membership-statement',
        { historicalKeys: [{ jwk: generateSigningKeyPair().publicJwk }] },
      ],
      ['an agreement of one party with itself', 'agreement', { parties: ['alice-bank', 'alice-bank'] }],
      ['an agreement proposed by a third party', 'agreement', { iss: 'carol-store' }],
      ['an unknown purpose', 'agreement', { purposes: ['profiling'] }],
      ['an unknown category', 'consent', { categories: ['health'] }],
      ['a duplicate purpose', 'consent', { purposes: ['marketing', 'marketing'] }],
      ['a consent controlled by another', 'consent', { controller: 'bob-shop' }],
      ['a consent with an empty validity', 'consent', { validUntil: NOW }],
      ['a consent with an unknown collection method', 'consent', { collectionMethod: 'telepathy' }],
      ['a consent without subjects', 'consent', { subjectTokens: [] }],
      ['a registration for its own controller', 'consent-registration', { recipient: 'alice-bank' }],
      ['a registration registered by another', 'consent-registration', { controller: 'bob-shop' }],
      ['a registration with an empty validity', 'consent-registration', { validUntil: NOW }],
      ['a registration without subjects', 'consent-registration', { subjectTokens: [] }],
      [
        'a registration with tokens of another agreement',
        'consent-registration',
        {
          subjectTokens: [
            { kind: 'email', token: 'qXhMIBivdHTFfm7Pyb580YMmDpCRXwleTHMcwEEdsZk', keyId: 'agreement-0002' },
          ],
        },
      ],
      ['a registration naming several recipients', 'consent-registration', { recipients: ['bob-shop'] }],
      [
        'a registration without its receipt commitment',
        'consent-registration',
        { receiptCommitment: undefined },
      ],
      ['a transition from a final state', 'agreement-transition', { from: 'terminated', to: 'active' }],
      ['a share with two ways of carrying records', 'share', { encryptedRecords: 'a.b.c.d.e' }],
      ['a share with no records', 'share', { records: undefined }],
      ['a share record outside its consents', 'share', { consentIds: ['consent-0002'] }],
      ['a history request living too long', 'history-request', { exp: NOW + 3600 }],
      [
        'a history request for a customer created after it',
        'history-request',
        { customerCreatedAt: NOW + 1 },
      ],
      ['a history request without its relationship', 'history-request', { relationship: undefined }],
      ['a history request naming a personal agent', 'history-request', { agent: 'marie@example.org' }],
      [
        'a history request with an unknown relationship',
        'history-request',
        {
          relationship: { kind: 'order', ref: 'x'.repeat(43) },
        },
      ],
      ['a negative purge count', 'purge-receipt', { recordsPurged: -1 }],
      ['an upper-case entity id', 'purge-receipt', { iss: 'Bob-Shop' }],
    ])('refuses %s', (_name, kind, change) => {
      expect(() => signMessage(kind, { ...samples[kind], ...change } as never, alice.privateJwk)).toThrow(
        expect.objectContaining({ code: 'INVALID_CLAIMS' }),
      );
    });
  });

  it('a membership statement lists retired keys with their retirement time', async () => {
    const retired = generateSigningKeyPair();
    const statement = signMessage(
      'membership-statement',
      {
        ...sampleClaims()['membership-statement'],
        historicalKeys: [{ jwk: retired.publicJwk, retiredAt: NOW - 60 }],
      },
      federation.privateJwk,
    );
    const { claims } = await verifyMessage('membership-statement', statement, resolver, {
      audience: null,
      now: NOW,
    });
    expect(claims.historicalKeys).toEqual([{ jwk: retired.publicJwk, retiredAt: NOW - 60 }]);
  });

  it('verifies a self-signed membership application with the keys it carries', async () => {
    const application = signMessage(
      'membership-application',
      sampleClaims()['membership-application'],
      alice.privateJwk,
    );
    const verified = await verifyMessage('membership-application', application, selfSignedKeyResolver, {
      audience: 'federation',
      now: NOW,
    });
    expect(verified.claims.jwks.keys.map((key) => key.kid)).toContain(alice.kid);
    // Signed by a key that it does not carry.
    const foreign = signMessage(
      'membership-application',
      sampleClaims()['membership-application'],
      bob.privateJwk,
    );
    expect(
      await codeOf(
        verifyMessage('membership-application', foreign, selfSignedKeyResolver, {
          audience: 'federation',
          now: NOW,
        }),
      ),
    ).toBe('UNKNOWN_KEY');
  });

  it('hashes a JWS for references between messages', () => {
    expect(jwsHash('a.b.c')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('maps purposes to DPV and types to kinds', () => {
    expect(PURPOSES.map((purpose) => DPV_PURPOSES[purpose])).toEqual([
      'dpv:CustomerCare',
      'dpv:Marketing',
      'dpv:ServiceOptimisation',
    ]);
    expect(messageKindOfTyp('concordia-consent+jwt')).toBe('consent');
    expect(isAllowedAgreementTransition('accepted', 'active')).toBe(true);
    expect(isAllowedAgreementTransition('expired', 'active')).toBe(false);
  });
});
