import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OPERATOR, startTestFederation, type TestFederation } from '../testing/test-federation.js';

/**
 * The operators' web console at the federation: the same console sessions as a node's (the shared
 * implementation of libs/platform is proven in depth by the node's console-sessions spec), over the
 * operators, saying server: 'federation'; and the same console served at `/`.
 */
describe('federation: operator console sessions (/auth/*) and the console at /', () => {
  let federation: TestFederation;
  let dist: string;

  const post = (path: string, init: { body?: unknown; cookie?: string; csrf?: string } = {}) =>
    fetch(`${federation.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Concordia console</title>');
    federation = await startTestFederation('opsessions', { CONSOLE_DIST: dist });
  });
  afterAll(async () => {
    await federation?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('signs an operator in with cookies, says server federation, renews with CSRF, and signs out', async () => {
    const login = await post('/auth/login', { body: OPERATOR });
    expect(login.status).toBe(200);
    const grant = (await login.json()) as {
      accessToken: string;
      server: string;
      user: { email: string; roles: string[] };
    };
    expect(grant.server).toBe('federation');
    expect(grant.user).toMatchObject({ email: OPERATOR.email, roles: ['operator'] });
    const cookies = login.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('concordia_session='))).toContain('HttpOnly');
    const session = cookies.find((c) => c.startsWith('concordia_session='))!.split(';')[0]!;
    const csrfCookie = cookies.find((c) => c.startsWith('concordia_csrf='))!.split(';')[0]!;
    const csrf = csrfCookie.slice('concordia_csrf='.length);
    const cookie = `${session}; ${csrfCookie}`;

    const me = await federation.gql<{ me: { email: string } }>('{ me { email } }', {}, grant.accessToken);
    expect(me.data?.me.email).toBe(OPERATOR.email);

    const noCsrf = await post('/auth/refresh', { cookie });
    expect(noCsrf.status).toBe(403);
    const refreshed = await post('/auth/refresh', { cookie, csrf });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { server: string }).server).toBe('federation');

    expect((await post('/auth/logout', { cookie, csrf })).status).toBe(204);
    const after = await post('/auth/refresh', { cookie, csrf });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  });

  it('refuses a wrong password with 401 and bad input naming the field', async () => {
    const wrong = await post('/auth/login', { body: { email: OPERATOR.email, password: 'not it at all' } });
    expect(wrong.status).toBe(401);
    const bad = await post('/auth/login', { body: { email: 'not-an-email', password: 'x' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('serves the console at / and its pages, never over its own API paths', async () => {
    const index = await fetch(`${federation.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('Concordia console');
    const deep = await fetch(`${federation.url}/operator/members`, { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('Concordia console');
    const jwks = await fetch(`${federation.url}/.well-known/jwks.json`, { headers: { accept: 'text/html' } });
    expect(await jwks.text()).not.toContain('Concordia console');
    // The protocol's GETs (e.g. by curl, Accept */*) reach the API, never the console's fallback.
    const protocol = await fetch(`${federation.url}/federation/v1/no-such-thing`, {
      headers: { accept: '*/*' },
    });
    expect(protocol.status).toBe(404);
    expect(await protocol.text()).not.toContain('Concordia console');
  });
});
