import { describe, expect, it } from '@jest/globals';
import {
  bodyHash,
  historyRequestBodySchema,
  nodeHistoryRequestSchema,
  relayTokenClaimsSchema,
} from '#federation-client';

describe('relay contract', () => {
  it('the body hash is over canonical JSON: key order does not matter, any change does', () => {
    expect(bodyHash({ a: 1, b: [1, 2] })).toBe(bodyHash({ b: [1, 2], a: 1 }));
    expect(bodyHash({ a: 1, b: [1, 2] })).not.toBe(bodyHash({ a: 1, b: [2, 1] }));
    expect(bodyHash({})).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('relay tokens are strict: POST only, a path, a body hash, no extra claim', () => {
    const claims = {
      iss: 'test-net',
      aud: 'beta-bank',
      iat: 1,
      exp: 61,
      jti: 'c0a8e1f2-0001-4000-8000-000000000001',
      htm: 'POST',
      htu: '/v1/history-requests',
      bodyHash: bodyHash({}),
      from: 'alpha-shop',
    };
    expect(relayTokenClaimsSchema.safeParse(claims).success).toBe(true);
    expect(relayTokenClaimsSchema.safeParse({ ...claims, htm: 'GET' }).success).toBe(false);
    expect(relayTokenClaimsSchema.safeParse({ ...claims, extra: 1 }).success).toBe(false);
    expect(relayTokenClaimsSchema.safeParse({ ...claims, bodyHash: 'x' }).success).toBe(false);
  });

  it('history requests carry subject tokens only, bounded in number', () => {
    const token = 'A'.repeat(43);
    const request = {
      requests: [{ holder: 'alpha-shop', agreementId: 'agr-00000001', subjectTokens: [token] }],
    };
    expect(historyRequestBodySchema.safeParse(request).success).toBe(true);
    expect(
      historyRequestBodySchema.safeParse({
        requests: [
          { holder: 'alpha-shop', agreementId: 'agr-00000001', subjectTokens: ['jane@example.org'] },
        ],
      }).success,
    ).toBe(false);
    expect(
      nodeHistoryRequestSchema.safeParse({
        requestId: 'r-1',
        requester: 'beta-bank',
        agreementId: 'agr-00000001',
        subjectTokens: [token],
        categories: ['care-history', 'purchases'],
      }).success,
    ).toBe(false);
  });
});
