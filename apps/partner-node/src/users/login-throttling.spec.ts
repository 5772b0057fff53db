import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccessTokens } from '#platform/auth/access-tokens';
import { DEFAULT_THROTTLE_RULES } from '#platform/auth/login-throttle';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from './role.js';
import { UsersService } from './users.service.js';

const PASSWORD = 'the right password';
const LOGIN = `mutation($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { token }
}`;

describe('login throttling and per-request roles on the node (real PostgreSQL)', () => {
  let node: TestNode;

  /** GraphQL login as seen from `address` (the node trusts the loopback proxy's X-Forwarded-For). */
  const gqlLogin = async (email: string, password: string, address: string) => {
    const response = await fetch(`${node.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
    });
    return (await response.json()) as {
      data?: { login: { token: string } } | null;
      errors?: { extensions: Record<string, unknown> }[];
    };
  };
  const consoleLogin = (email: string, password: string, address: string) =>
    fetch(`${node.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email, password }),
    });
  const user = async (roles: Role[]) => {
    const email = `${roles.join('-')}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const created = await node.app
      .get(UsersService)
      .create({ email, displayName: 'Throttled', roles, password: PASSWORD });
    return { id: created.id, email };
  };

  beforeAll(async () => {
    node = await startTestNode('login_throttling', { TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => node?.close());

  it('GraphQL login: after the free failures from one address, TOO_MANY_REQUESTS there — even with the right password — while another address signs in', async () => {
    const { email } = await user([Role.AGENT]);
    for (let i = 0; i <= DEFAULT_THROTTLE_RULES.accountAndAddress.free; i++) {
      const wrong = await gqlLogin(email, 'wrong password', '203.0.113.7');
      expect(wrong.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    const throttled = await gqlLogin(email, PASSWORD, '203.0.113.7');
    expect(throttled.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(throttled.errors![0]!.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);

    const elsewhere = await gqlLogin(email, PASSWORD, '198.51.100.20');
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data!.login.token).toEqual(expect.any(String));
    const consoleElsewhere = await consoleLogin(email, PASSWORD, '198.51.100.21');
    expect(consoleElsewhere.status).toBe(200);
  });

  it('/auth/login answers 429 with Retry-After and retryAfterSeconds, and sets no cookie', async () => {
    const { email } = await user([Role.AGENT]);
    for (let i = 0; i <= DEFAULT_THROTTLE_RULES.accountAndAddress.free; i++) {
      expect((await consoleLogin(email, 'wrong password', '203.0.113.8')).status).toBe(401);
    }
    const throttled = await consoleLogin(email, PASSWORD, '203.0.113.8');
    expect(throttled.status).toBe(429);
    const body = (await throttled.json()) as { code: string; retryAfterSeconds: number };
    expect(body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(throttled.headers.get('retry-after'))).toBe(body.retryAfterSeconds);
    expect(throttled.headers.getSetCookie()).toEqual([]);
  });

  it('the GraphQL login and /auth/login share one throttle per account and address', async () => {
    const { email } = await user([Role.AGENT]);
    for (let i = 0; i <= DEFAULT_THROTTLE_RULES.accountAndAddress.free; i++) {
      await gqlLogin(email, 'wrong password', '203.0.113.9');
    }
    expect((await consoleLogin(email, PASSWORD, '203.0.113.9')).status).toBe(429);
  });

  it('the roles inside a token count for nothing: the guard reads the current roles', async () => {
    const agent = await user([Role.AGENT]);
    // A token claiming admin for a user who is only an agent (as if issued before a demotion).
    const { token } = await node.app.get(AccessTokens).issue({ id: agent.id, roles: [Role.ADMIN] });
    const refused = await node.gql(`{ users { id } }`, {}, token);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', allowedRoles: ['admin'] });
    const me = await node.gql<{ me: { id: string } }>(`{ me { id } }`, {}, token);
    expect(me.data).toEqual({ me: { id: agent.id } });
  });
});
