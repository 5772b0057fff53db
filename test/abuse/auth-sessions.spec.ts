/**
 * Abuse cases of the web console's sign-in (/auth/*), as a table: what is sent, the refusal
 * expected, and the read-back that nothing was stored or changed (no session row created, no
 * session's last activity moved, no session ended). Self-contained: its own node and users.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestNode, type TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import { Role } from '../../apps/partner-node/src/users/role.js';
import { UsersService } from '../../apps/partner-node/src/users/users.service.js';

const PASSWORD = 'an abuse test password';

interface Session {
  session: string;
  csrf: string;
}

interface AbuseCase {
  name: string;
  path: '/auth/login' | '/auth/refresh' | '/auth/logout';
  /** The request, built from the fixtures: a signed-in user's session, another user's, an e-mail. */
  send(f: Fixtures): { body?: string; cookies?: Record<string, string>; csrf?: string; address?: string };
  status: number;
  code: string;
  /** reason or field the refusal must name. */
  names?: Record<string, string>;
}

interface Fixtures {
  email: string;
  disabledEmail: string;
  mine: Session;
  other: Session;
}

const json = (value: unknown) => JSON.stringify(value);

const CASES: AbuseCase[] = [
  {
    name: 'login without an e-mail',
    path: '/auth/login',
    send: () => ({ body: json({ password: PASSWORD }) }),
    status: 400,
    code: 'BAD_USER_INPUT',
    names: { field: 'email' },
  },
  {
    name: 'login with an e-mail that is not one',
    path: '/auth/login',
    send: () => ({ body: json({ email: 'robert"); DROP TABLE app_user;--', password: PASSWORD }) }),
    status: 400,
    code: 'BAD_USER_INPUT',
    names: { field: 'email' },
  },
  {
    name: 'login with a password of 201 characters',
    path: '/auth/login',
    send: (f) => ({ body: json({ email: f.email, password: 'x'.repeat(201) }) }),
    status: 400,
    code: 'BAD_USER_INPUT',
    names: { field: 'password' },
  },
  {
    name: 'login with a password that is not a string',
    path: '/auth/login',
    send: (f) => ({ body: json({ email: f.email, password: { $ne: null } }) }),
    status: 400,
    code: 'BAD_USER_INPUT',
    names: { field: 'password' },
  },
  {
    name: 'login with an unknown property (role escalation attempt)',
    path: '/auth/login',
    send: (f) => ({ body: json({ email: f.email, password: PASSWORD, roles: ['admin'] }) }),
    status: 400,
    code: 'BAD_USER_INPUT',
    names: { field: 'roles' },
  },
  {
    name: 'login with a body that is not JSON',
    path: '/auth/login',
    send: () => ({ body: '{"email": ' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'login with a wrong password',
    path: '/auth/login',
    send: (f) => ({ body: json({ email: f.email, password: 'not the password' }), address: '203.0.113.1' }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'login as a deactivated user with the right password',
    path: '/auth/login',
    send: (f) => ({ body: json({ email: f.disabledEmail, password: PASSWORD }) }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'refresh with a forged session cookie and a matching forged CSRF pair',
    path: '/auth/refresh',
    send: () => ({ cookies: { concordia_session: 'forged', concordia_csrf: 'x' }, csrf: 'x' }),
    status: 403,
    code: 'FORBIDDEN',
    names: { reason: 'CSRF' },
  },
  {
    name: 'refresh with a valid session cookie but no CSRF header',
    path: '/auth/refresh',
    send: (f) => ({ cookies: { concordia_session: f.mine.session, concordia_csrf: f.mine.csrf } }),
    status: 403,
    code: 'FORBIDDEN',
    names: { reason: 'CSRF' },
  },
  {
    name: "refresh with the session cookie and another session's CSRF token (in cookie and header)",
    path: '/auth/refresh',
    send: (f) => ({
      cookies: { concordia_session: f.mine.session, concordia_csrf: f.other.csrf },
      csrf: f.other.csrf,
    }),
    status: 403,
    code: 'FORBIDDEN',
    names: { reason: 'CSRF' },
  },
  {
    name: 'refresh with a CSRF header that differs from the cookie',
    path: '/auth/refresh',
    send: (f) => ({
      cookies: { concordia_session: f.mine.session, concordia_csrf: f.mine.csrf },
      csrf: f.other.csrf,
    }),
    status: 403,
    code: 'FORBIDDEN',
    names: { reason: 'CSRF' },
  },
  {
    name: 'refresh with the CSRF token but no session cookie',
    path: '/auth/refresh',
    send: (f) => ({ cookies: { concordia_csrf: f.mine.csrf }, csrf: f.mine.csrf }),
    status: 401,
    code: 'UNAUTHENTICATED',
    names: { reason: 'SESSION_ENDED' },
  },
  {
    name: 'logout without the CSRF header (a cross-site form post)',
    path: '/auth/logout',
    send: (f) => ({ cookies: { concordia_session: f.mine.session, concordia_csrf: f.mine.csrf } }),
    status: 403,
    code: 'FORBIDDEN',
    names: { reason: 'CSRF' },
  },
];

describe('abuse of the console sign-in (/auth/*): refused, and nothing stored', () => {
  let node: TestNode;
  let db: DataSource;
  let fixtures: Fixtures;

  const post = (path: string, request: ReturnType<AbuseCase['send']>) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(request.address ? { 'x-forwarded-for': request.address } : {}),
        ...(request.cookies
          ? {
              cookie: Object.entries(request.cookies)
                .map(([k, v]) => `${k}=${v}`)
                .join('; '),
            }
          : {}),
        ...(request.csrf !== undefined ? { 'x-csrf-token': request.csrf } : {}),
      },
      body: request.body,
    });

  const signIn = async (email: string): Promise<Session> => {
    const response = await post('/auth/login', { body: json({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    const jar = Object.fromEntries(
      response.headers.getSetCookie().map((line) => line.split(';')[0]!.split('=') as [string, string]),
    );
    return { session: jar.concordia_session!, csrf: jar.concordia_csrf! };
  };

  /** Every session row as it is now (created, last activity, end). */
  const sessions = async () =>
    JSON.stringify(
      await db.query(
        `SELECT id, last_activity_at, ended_at, end_reason FROM console_session ORDER BY created_at, id`,
      ),
    );

  beforeAll(async () => {
    node = await startTestNode('abuse_auth_sessions', { TRUST_PROXY: 'loopback' });
    db = node.app.get(DataSource);
    const users = node.app.get(UsersService);
    const make = (email: string) =>
      users.create({ email, displayName: 'Abuse', roles: [Role.AGENT], password: PASSWORD });
    await make('mine@example.test');
    await make('other@example.test');
    const disabled = await make('disabled@example.test');
    await users.update(disabled.id, { active: false });
    fixtures = {
      email: 'mine@example.test',
      disabledEmail: 'disabled@example.test',
      mine: await signIn('mine@example.test'),
      other: await signIn('other@example.test'),
    };
  });
  afterAll(async () => node?.close());

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, abuse) => {
    const before = await sessions();
    const response = await post(abuse.path, abuse.send(fixtures));
    expect(response.status).toBe(abuse.status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: abuse.code, ...abuse.names });
    expect(typeof body.message).toBe('string');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await sessions()).toBe(before);
  });

  it('the signed-in sessions survived every refused request', async () => {
    for (const session of [fixtures.mine, fixtures.other]) {
      const refresh = await post('/auth/refresh', {
        cookies: { concordia_session: session.session, concordia_csrf: session.csrf },
        csrf: session.csrf,
      });
      expect(refresh.status).toBe(200);
    }
  });

  it('an oversized login body is refused with 413 before any password check, storing nothing', async () => {
    const before = await sessions();
    const response = await post('/auth/login', {
      body: json({ email: fixtures.email, password: 'x'.repeat(2_000_000) }),
    });
    expect(response.status).toBe(413);
    expect(await sessions()).toBe(before);
  });
});
