import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccessTokens } from '#platform/auth/access-tokens';
import { DEFAULT_THROTTLE_RULES } from '#platform/auth/login-throttle';
import { CONSOLE_CSP, GRAPHIQL_CSP } from '#platform/http/security-headers';
import { OPERATOR, startTestFederation, type TestFederation } from '../testing/test-federation.js';
import { OperatorsService } from './operators.service.js';
import { FederationRole } from './role.js';

const LOGIN = `mutation($input: OperatorLoginInput!) { login(input: $input) { token } }`;

describe('federation operators: login throttling, per-request roles, security headers', () => {
  let federation: TestFederation;

  const login = async (email: string, password: string, address: string) => {
    const response = await fetch(`${federation.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: LOGIN, variables: { input: { email, password } } }),
    });
    return (await response.json()) as {
      data?: { login: { token: string } } | null;
      errors?: { extensions: Record<string, unknown> }[];
    };
  };

  beforeAll(async () => {
    federation = await startTestFederation('operators', { TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => federation?.close());

  it('throttles failed operator logins per account and address; the operator still signs in from elsewhere', async () => {
    for (let i = 0; i <= DEFAULT_THROTTLE_RULES.accountAndAddress.free; i++) {
      const wrong = await login(OPERATOR.email, 'not the password', '203.0.113.50');
      expect(wrong.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    const throttled = await login(OPERATOR.email, OPERATOR.password, '203.0.113.50');
    expect(throttled.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(throttled.errors![0]!.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const elsewhere = await login(OPERATOR.email, OPERATOR.password, '198.51.100.50');
    expect(elsewhere.errors).toBeUndefined();
  });

  it("reads the operator's roles and active flag per request, not from the token", async () => {
    const officer = await federation.app.get(OperatorsService).create({
      email: 'officer@federation.test',
      displayName: 'Compliance officer',
      roles: [FederationRole.COMPLIANCE],
      password: 'officer password 123',
    });
    const { token } = await federation.app
      .get(AccessTokens)
      .issue({ id: officer.id, roles: [FederationRole.OPERATOR] });
    const refused = await federation.gql(
      `mutation { approveApplication(applicationId: "00000000-0000-0000-0000-000000000000") { partnerId } }`,
      {},
      token,
    );
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', allowedRoles: ['operator'] });
  });

  it('sets the security headers on every response, GraphiQL alone with its wider policy', async () => {
    const responses = [
      await fetch(`${federation.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      await fetch(`${federation.url}/health`),
      await fetch(`${federation.url}/no/such/path`),
    ];
    for (const response of responses) {
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
    const graphiql = await fetch(`${federation.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphiql.headers.get('content-security-policy')).toBe(GRAPHIQL_CSP);
    expect(GRAPHIQL_CSP).toContain("frame-ancestors 'none'");
  });
});
