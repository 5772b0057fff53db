/**
 * The pipeline's smoke journey: the console's index is served at `/` with the security headers,
 * /auth/login sets the session and CSRF cookies in the browser, and /auth/refresh works with the
 * CSRF header and is refused without it. The real journeys are the other *.e2e.ts files.
 */
import { expect, test } from '@playwright/test';
import { consoleNetwork, userOf } from './support/network-info.js';

test('the console is served with its security headers, and sign-in sessions work with CSRF', async ({
  page,
  context,
}) => {
  const network = consoleNetwork();
  const node = network.nodes.find((n) => n.partnerId === network.customer.deskPartnerId)!;
  const agent = userOf(node, 'agent');

  const index = await page.goto(`${node.url}/`);
  expect(index!.status()).toBe(200);
  const headers = index!.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-powered-by']).toBeUndefined();
  expect(headers['cache-control']).toBe('no-cache');
  await expect(page.locator('#root, body').first()).toBeAttached();

  // The browser's own request context shares the page's cookie jar.
  const login = await page.request.post(`${node.url}/auth/login`, {
    data: { email: agent.email, password: agent.password },
  });
  expect(login.status()).toBe(200);
  const grant = (await login.json()) as { accessToken: string; user: { roles: string[] } };
  expect(grant.user.roles).toEqual(['agent']);
  const cookies = await context.cookies([`${node.url}/`, `${node.url}/auth/refresh`]);
  const session = cookies.find((c) => c.name === 'concordia_session');
  const csrf = cookies.find((c) => c.name === 'concordia_csrf');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
  expect(csrf).toMatchObject({ httpOnly: false, sameSite: 'Strict', path: '/' });
  // Page scripts can read the CSRF cookie but never the session cookie.
  expect(await page.evaluate<string>('document.cookie')).not.toContain('concordia_session');

  const refreshed = await page.request.post(`${node.url}/auth/refresh`, {
    headers: { 'x-csrf-token': csrf!.value },
  });
  expect(refreshed.status()).toBe(200);
  const withoutCsrf = await page.request.post(`${node.url}/auth/refresh`);
  expect(withoutCsrf.status()).toBe(403);
  expect(await withoutCsrf.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'CSRF' });

  const me = await page.request.post(`${node.url}/graphql`, {
    headers: { authorization: `Bearer ${grant.accessToken}` },
    data: { query: '{ me { email } }' },
  });
  expect(await me.json()).toEqual({ data: { me: { email: agent.email } } });
});
