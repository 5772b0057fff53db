import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from './role.js';

describe('users, login and roles (real PostgreSQL)', () => {
  let node: TestNode;
  let adminToken: string;

  beforeAll(async () => {
    node = await startTestNode('users');
    adminToken = await node.tokenFor(Role.ADMIN);
  });
  afterAll(async () => node?.close());

  const LOGIN = `mutation($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) { token expiresAt user { id email roles } }
  }`;
  const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email roles active } }`;

  it('an admin creates a user who logs in with a password and gets a short-lived token', async () => {
    const created = await node.gql<{ createUser: { id: string } }>(
      CREATE,
      {
        input: {
          email: 'Ada@Example.test',
          displayName: 'Ada',
          roles: ['AGENT'],
          password: 'correct horse battery',
        },
      },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    const login = await node.gql<{ login: { token: string; expiresAt: string; user: { roles: string[] } } }>(
      LOGIN,
      {
        email: 'ada@example.test',
        password: 'correct horse battery',
      },
    );
    expect(login.errors).toBeUndefined();
    expect(login.data!.login.user.roles).toEqual(['AGENT']);
    const ttl = new Date(login.data!.login.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(node.config.auth.tokenTtlSeconds * 1000);
    const me = await node.gql<{ me: { email: string } }>(`{ me { email } }`, {}, login.data!.login.token);
    expect(me.data!.me.email).toBe('Ada@Example.test');
  });

  it('refuses a wrong password and an unknown e-mail with the same error', async () => {
    const wrong = await node.gql(LOGIN, { email: 'ada@example.test', password: 'not the password' });
    const unknown = await node.gql(LOGIN, { email: 'nobody@example.test', password: 'not the password' });
    expect(wrong.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors![0].message).toBe(wrong.errors![0].message);
  });

  it('refuses requests without a token, with a forged token, and from a deactivated user', async () => {
    expect((await node.gql(`{ me { id } }`)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const forged = `${adminToken.slice(0, -4)}AAAA`;
    expect((await node.gql(`{ me { id } }`, {}, forged)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    const agent = await node.userFor(Role.AGENT);
    expect((await node.gql(`{ me { id } }`, {}, agent.token)).errors).toBeUndefined();
    const off = await node.gql(
      `mutation($id: ID!) { updateUser(id: $id, input: { active: false }) { active } }`,
      { id: agent.id },
      adminToken,
    );
    expect(off.data).toEqual({ updateUser: { active: false } });
    expect((await node.gql(`{ me { id } }`, {}, agent.token)).errors![0].extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('validates input at the edge, names the field, and writes nothing', async () => {
    const bad = await node.gql(
      CREATE,
      {
        input: {
          email: 'not-an-email',
          displayName: 'X',
          roles: ['AGENT'],
          password: 'long enough password',
        },
      },
      adminToken,
    );
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const short = await node.gql(
      CREATE,
      { input: { email: 'x@example.test', displayName: 'X', roles: ['AGENT'], password: 'short' } },
      adminToken,
    );
    expect(short.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const unknownRole = await node.gql(
      CREATE,
      {
        input: {
          email: 'x@example.test',
          displayName: 'X',
          roles: ['WIZARD'],
          password: 'long enough password',
        },
      },
      adminToken,
    );
    expect(unknownRole.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const users = await node.gql<{ users: { email: string }[] }>(`{ users { email } }`, {}, adminToken);
    expect(users.data!.users.map((u) => u.email)).not.toContain('x@example.test');
  });

  it('refuses a duplicate e-mail (case-insensitive) with CONFLICT', async () => {
    const input = {
      email: 'dup@example.test',
      displayName: 'D',
      roles: ['MARKETER'],
      password: 'long enough password',
    };
    expect((await node.gql(CREATE, { input }, adminToken)).errors).toBeUndefined();
    const again = await node.gql(CREATE, { input: { ...input, email: 'DUP@example.test' } }, adminToken);
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');
  });

  it('creates the first admin from the environment only when there is none', async () => {
    const { UsersService } = await import('./users.service.js');
    const service = node.app.get(UsersService);
    expect(await service.ensureAdmin('second-admin@example.test', 'another long password')).toBeUndefined();
  });
});
