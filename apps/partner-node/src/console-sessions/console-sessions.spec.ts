import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { csrfTokenFor } from '#platform/auth/console-session-rules';
import { CONSOLE_CSP } from '#platform/http/security-headers';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { UsersService } from '../users/users.service.js';

const PASSWORD = 'a console password';

/** A browser's cookie jar, reduced to what /auth needs. */
function cookiesOf(response: Response): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return jar;
}

describe('web console sessions (/auth/*) on real PostgreSQL', () => {
  let node: TestNode;
  let dist: string;
  let db: DataSource;

  const post = (
    path: string,
    init: { body?: unknown; cookies?: Record<string, string>; csrf?: string } = {},
  ) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.cookies
          ? {
              cookie: Object.entries(init.cookies)
                .map(([k, v]) => `${k}=${v}`)
                .join('; '),
            }
          : {}),
        ...(init.csrf !== undefined ? { 'x-csrf-token': init.csrf } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function userWith(roles: Role[]) {
    const email = `${roles.join('-')}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const user = await node.app
      .get(UsersService)
      .create({ email, displayName: 'Console user', roles, password: PASSWORD });
    return { id: user.id, email };
  }

  async function signIn(email: string) {
    const response = await post('/auth/login', { body: { email, password: PASSWORD } });
    expect(response.status).toBe(200);
    const cookies = cookiesOf(response);
    return { response, cookies, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Concordia console</title>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    node = await startTestNode('console_sessions', {
      CONSOLE_DIST: dist,
      CONSOLE_IDLE_TIMEOUT_SECONDS: '600',
      CONSOLE_SESSION_MAX_SECONDS: '3600',
      CONSOLE_ACCESS_TOKEN_TTL_SECONDS: '120',
    });
    db = node.app.get(DataSource);
  });
  afterAll(async () => {
    await node?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('login sets an httpOnly session cookie and a CSRF cookie, stores only the id hash, and the token works', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { response, cookies, body } = await signIn(email);
    const setCookie = response.headers.getSetCookie();
    expect(setCookie.find((c) => c.startsWith('concordia_session='))).toMatch(
      /Path=\/auth; SameSite=Strict; Max-Age=3600; HttpOnly$/,
    );
    expect(setCookie.find((c) => c.startsWith('concordia_csrf='))).toMatch(
      /Path=\/; SameSite=Strict; Max-Age=3600$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({
      idleTimeoutSeconds: 600,
      user: { id, email, name: 'Console user', roles: ['agent'] },
    });
    const ttl = new Date(body.accessTokenExpiresAt as string).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);

    const rows: { hash: Buffer; last: Date }[] = await db.query(
      `SELECT session_id_hash AS hash, last_activity_at AS last FROM console_session WHERE user_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash.length).toBe(32);
    expect(rows[0]!.hash.toString('base64url')).not.toBe(cookies.concordia_session);
    const all: { t: string }[] = await db.query(`SELECT row_to_json(s)::text AS t FROM console_session s`);
    expect(all.some((r) => r.t.includes(cookies.concordia_session!))).toBe(false);

    const me = await node.gql<{ me: { id: string } }>(`{ me { id } }`, {}, body.accessToken as string);
    expect(me.data).toEqual({ me: { id } });
  });

  it('refresh needs the CSRF header matching the cookie, and renews the token with the current roles', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { cookies } = await signIn(email);
    for (const csrf of [undefined, '', 'forged', `${cookies.concordia_csrf}x`]) {
      const refused = await post('/auth/refresh', { cookies, csrf });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'CSRF' });
    }
    // A header equal to a planted cookie is not enough: the token is bound to the session.
    const planted = await post('/auth/refresh', {
      cookies: { ...cookies, concordia_csrf: 'planted' },
      csrf: 'planted',
    });
    expect(planted.status).toBe(403);

    await node.app.get(UsersService).update(id, { roles: [Role.MARKETER, Role.AGENT] });
    const refreshed = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ user: { id, roles: ['marketer', 'agent'] } });
  });

  it('refresh without a session cookie, or with an unknown one, answers SESSION_ENDED', async () => {
    const none = await post('/auth/refresh');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
    const unknownId = 'an-unknown-session-id';
    const csrf = csrfTokenFor(unknownId, node.config.auth.tokenSecret);
    const unknown = await post('/auth/refresh', {
      cookies: { concordia_session: unknownId, concordia_csrf: csrf },
      csrf,
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  });

  it('signing in again from the same browser ends the session it held', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const first = await signIn(email);
    const again = await post('/auth/login', { body: { email, password: PASSWORD }, cookies: first.cookies });
    expect(again.status).toBe(200);
    const rows: { end_reason: string | null }[] = await db.query(
      `SELECT end_reason FROM console_session WHERE user_id = $1 ORDER BY created_at`,
      [id],
    );
    expect(rows.map((r) => r.end_reason)).toEqual(['LOGOUT', null]);
    const old = await post('/auth/refresh', { cookies: first.cookies, csrf: first.cookies.concordia_csrf });
    expect(await old.json()).toMatchObject({ reason: 'SESSION_ENDED' });
  });

  it('an idle session ends (IDLE_TIMEOUT), and stays ended', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { cookies } = await signIn(email);
    await db.query(
      `UPDATE console_session SET last_activity_at = now() - interval '601 seconds' WHERE user_id = $1`,
      [id],
    );
    const idle = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(idle.status).toBe(401);
    expect(await idle.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDLE_TIMEOUT' });
    const [row]: { end_reason: string }[] = await db.query(
      `SELECT end_reason FROM console_session WHERE user_id = $1`,
      [id],
    );
    expect(row!.end_reason).toBe('IDLE_TIMEOUT');
    const again = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(await again.json()).toMatchObject({ reason: 'SESSION_ENDED' });
  });

  it('activity keeps a session alive until its absolute end (SESSION_EXPIRED)', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { cookies } = await signIn(email);
    await db.query(
      `UPDATE console_session SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [id],
    );
    const expired = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ reason: 'SESSION_EXPIRED' });
  });

  it('logout ends the session server side and clears the cookies; refresh is then refused', async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { cookies } = await signIn(email);
    const noCsrf = await post('/auth/logout', { cookies });
    expect(noCsrf.status).toBe(403);
    const out = await post('/auth/logout', { cookies, csrf: cookies.concordia_csrf });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().every((c) => /Max-Age=0/.test(c))).toBe(true);
    const [row]: { end_reason: string; ended_at: Date }[] = await db.query(
      `SELECT end_reason, ended_at FROM console_session WHERE user_id = $1`,
      [id],
    );
    expect(row).toMatchObject({ end_reason: 'LOGOUT' });
    const after = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ reason: 'SESSION_ENDED' });
  });

  it("a deactivated user's session refresh is refused and the session ended", async () => {
    const { id, email } = await userWith([Role.AGENT]);
    const { cookies } = await signIn(email);
    await node.app.get(UsersService).update(id, { active: false });
    const refused = await post('/auth/refresh', { cookies, csrf: cookies.concordia_csrf });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ reason: 'SESSION_ENDED' });
    const [row]: { end_reason: string }[] = await db.query(
      `SELECT end_reason FROM console_session WHERE user_id = $1`,
      [id],
    );
    expect(row!.end_reason).toBe('USER_DISABLED');
  });

  it('login refuses bad input naming the field, wrong passwords with 401, and stores no session', async () => {
    const { email } = await userWith([Role.AGENT]);
    const missing = await post('/auth/login', { body: { email } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const malformed = await post('/auth/login', { body: { email: 'not an e-mail', password: 'x' } });
    expect(await malformed.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const wrong = await post('/auth/login', { body: { email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('a demoted admin loses admin on the next request (roles read from the database, not the token)', async () => {
    const admin = await node.userFor(Role.ADMIN);
    const before = await node.gql(`{ users { id } }`, {}, admin.token);
    expect(before.errors).toBeUndefined();
    await node.app.get(UsersService).update(admin.id, { roles: [Role.AGENT] });
    const after = await node.gql(`{ users { id } }`, {}, admin.token);
    expect(after.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', allowedRoles: ['admin'] });
    expect(after.errors![0]!.message).toMatch(/admin/);
  });

  it('serves the console: index without cache, hashed assets cached a year, SPA fallback, server paths untouched', async () => {
    const index = await fetch(`${node.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('Concordia console');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const deep = await fetch(`${node.url}/desk/customers/123`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('Concordia console');
    const asset = await fetch(`${node.url}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missingAsset = await fetch(`${node.url}/assets/nope.js`, { headers: { accept: 'text/html' } });
    expect(missingAsset.status).toBe(404);
    const json = await fetch(`${node.url}/desk/x`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    const health = await fetch(`${node.url}/health`, { headers: { accept: 'text/html' } });
    expect(await health.text()).not.toContain('Concordia console');
  });

  it('sets the security headers on pages, GraphQL, /auth and errors, without X-Powered-By', async () => {
    const responses = [
      await fetch(`${node.url}/`),
      await fetch(`${node.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      await post('/auth/refresh'),
      await fetch(`${node.url}/no/such/path`, { headers: { accept: 'application/json' } }),
    ];
    for (const response of responses) {
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });
});
