import { describe, expect, it } from '@jest/globals';
import type { Jwks, OkpPublicJwk } from '#protocol';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { MemberStatus, type MemberKey } from './member.entity.js';
import {
  checkSigningKey,
  directoryKeys,
  plannedStatementExpiry,
  seconds,
  statementClaims,
  statementRefreshDue,
} from './membership-rules.js';

const NOW = 1_900_000_000;
const at = (s: number): Date => new Date(s * 1000);
const jwk = (kid: string, crv: 'Ed25519' | 'X25519' = 'Ed25519'): OkpPublicJwk =>
  ({ kty: 'OKP', crv, x: `x-${kid}`, kid }) as OkpPublicJwk;
const key = (kid: string, over: Partial<MemberKey> = {}): MemberKey =>
  Object.assign(new Object() as MemberKey, {
    kid,
    partnerId: 'alpha',
    jwk: jwk(kid),
    addedAt: at(NOW - 1000),
    retiresAt: null,
    revokedAt: null,
    ...over,
  });
const member = {
  partnerId: 'alpha',
  name: 'Alpha',
  endpoint: 'https://alpha.example',
  status: MemberStatus.ACTIVE,
};

describe('membership rules', () => {
  it('seconds rounds a date down to epoch seconds', () => {
    expect(seconds(new Date(1_900_000_000_999))).toBe(1_900_000_000);
  });

  it('checkSigningKey wants an Ed25519 key in the set', () => {
    expect(() => checkSigningKey({ keys: [jwk('a'), jwk('b', 'X25519')] } as Jwks)).not.toThrow();
    expect(() => checkSigningKey({ keys: [jwk('b', 'X25519')] } as Jwks)).toThrow(RefusedMessageError);
    const reasonOf = (run: () => void): string | undefined => {
      try {
        run();
      } catch (error) {
        return (error as RefusedMessageError).reason;
      }
      return undefined;
    };
    expect(reasonOf(() => checkSigningKey({ keys: [] } as unknown as Jwks))).toBe('NO_SIGNING_KEY');
  });

  describe('plannedStatementExpiry', () => {
    it('is the TTL when the term and the keys allow it', () => {
      expect(plannedStatementExpiry(at(NOW + 10_000), [key('a')], NOW, 3600)).toBe(NOW + 3600);
    });
    it('never passes the membership term', () => {
      expect(plannedStatementExpiry(at(NOW + 100), [key('a')], NOW, 3600)).toBe(NOW + 100);
    });
    it('never passes the end of a retiring key, ignoring retired and revoked ones', () => {
      const keys = [
        key('a'),
        key('retiring', { retiresAt: at(NOW + 600) }),
        key('retired', { retiresAt: at(NOW - 1) }),
        key('revoked', { retiresAt: at(NOW + 60), revokedAt: at(NOW - 5) }),
      ];
      expect(plannedStatementExpiry(at(NOW + 10_000), keys, NOW, 3600)).toBe(NOW + 600);
    });
  });

  describe('statementRefreshDue', () => {
    const ttl = 400; // refresh window: 100 s
    it('is due in the last quarter of the statement, when a new one lives longer', () => {
      const m = { validUntil: at(NOW + 10_000), statementExpiresAt: at(NOW + 99) };
      expect(statementRefreshDue(m, NOW + 400, NOW, ttl)).toBe(true);
    });
    it('is not due earlier, nor when the new one would not live longer, nor past the term', () => {
      expect(
        statementRefreshDue(
          { validUntil: at(NOW + 10_000), statementExpiresAt: at(NOW + 100) },
          NOW + 400,
          NOW,
          ttl,
        ),
      ).toBe(false);
      expect(
        statementRefreshDue(
          { validUntil: at(NOW + 10_000), statementExpiresAt: at(NOW + 50) },
          NOW + 50,
          NOW,
          ttl,
        ),
      ).toBe(false);
      expect(
        statementRefreshDue({ validUntil: at(NOW), statementExpiresAt: at(NOW - 5) }, NOW + 400, NOW, ttl),
      ).toBe(false);
    });
    it('keeps a window of at least one second', () => {
      const m = { validUntil: at(NOW + 10_000), statementExpiresAt: at(NOW) };
      expect(statementRefreshDue(m, NOW + 2, NOW, 2)).toBe(true);
    });
  });

  describe('statementClaims', () => {
    const keys = [
      key('current'),
      key('retiring', { retiresAt: at(NOW + 60) }),
      key('historical', { retiresAt: at(NOW - 60) }),
      key('revoked', { revokedAt: at(NOW - 10), retiresAt: at(NOW - 10) }),
    ];
    it('vouches for current and retiring keys, and lists historical ones with their retirement', () => {
      const claims = statementClaims('fed', member, keys, NOW, NOW + 60);
      expect(claims).toEqual({
        iss: 'fed',
        sub: 'alpha',
        iat: NOW,
        exp: NOW + 60,
        name: 'Alpha',
        endpoint: 'https://alpha.example',
        status: 'active',
        jwks: { keys: [jwk('current'), jwk('retiring')] },
        historicalKeys: [{ jwk: jwk('historical'), retiredAt: NOW - 60 }],
      });
    });
    it('vouches for no key of a member that is not active', () => {
      const claims = statementClaims(
        'fed',
        { ...member, status: MemberStatus.SUSPENDED },
        keys,
        NOW,
        NOW + 60,
      );
      expect(claims.jwks.keys).toEqual([]);
      expect(claims).not.toHaveProperty('historicalKeys');
    });
    it('has no historicalKeys when there is none', () => {
      expect(statementClaims('fed', member, [key('current')], NOW, NOW + 60)).not.toHaveProperty(
        'historicalKeys',
      );
    });
  });

  it('directoryKeys lists every key but the revoked ones, with its state and times', () => {
    const keys = [
      key('current'),
      key('retiring', { retiresAt: at(NOW + 60) }),
      key('revoked', { revokedAt: at(NOW - 10) }),
    ];
    expect(directoryKeys(keys, NOW)).toEqual([
      { kid: 'current', jwk: jwk('current'), state: 'current', addedAt: NOW - 1000 },
      { kid: 'retiring', jwk: jwk('retiring'), state: 'retiring', addedAt: NOW - 1000, retiresAt: NOW + 60 },
    ]);
  });
});
