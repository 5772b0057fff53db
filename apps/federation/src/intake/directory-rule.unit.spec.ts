import { describe, expect, it } from '@jest/globals';
import { directoryRuleRefusal, type DirectoryKeyFacts } from './directory-rule.js';

const NOW = 1_900_000_000;
const good: DirectoryKeyFacts = { retiresAt: null, revoked: false, status: 'active', validUntil: NOW + 100 };
const refusal = (key: Partial<DirectoryKeyFacts>, iat = NOW) => {
  const error = directoryRuleRefusal({ ...good, ...key }, 'k1', iat, NOW);
  return error && { reason: error.reason, message: error.message };
};

describe('the directory rule', () => {
  it('lets an active member within its term sign with a current key', () => {
    expect(refusal({})).toBeUndefined();
    expect(refusal({ retiresAt: NOW + 10 }, NOW)).toBeUndefined();
  });

  it('refuses a revoked key first, whatever else holds', () => {
    expect(refusal({ revoked: true, status: 'suspended' })).toEqual({
      reason: 'KEY_REVOKED',
      message: 'key k1 is revoked',
    });
  });

  it('refuses a suspended or removed member, a lapsed term, a key used after its retirement', () => {
    expect(refusal({ status: 'suspended' })).toEqual({
      reason: 'MEMBER_SUSPENDED',
      message: 'the issuer is suspended: its signatures are not accepted',
    });
    expect(refusal({ status: 'removed' })).toEqual({
      reason: 'MEMBER_REMOVED',
      message: 'the issuer is no longer a member',
    });
    expect(refusal({ validUntil: NOW })).toEqual({
      reason: 'STATEMENT_EXPIRED',
      message: "the issuer's membership statement has expired",
    });
    expect(refusal({ retiresAt: NOW - 1 }, NOW - 1)).toEqual({
      reason: 'KEY_RETIRED',
      message: 'key k1 was retired before this message was signed',
    });
  });
});
