/** Steps every browser journey needs: signing in as a role of a node, and the axe-core check. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { userOf, type ConsoleNode } from './network-info.js';

/** Signs in at `node` as the user holding `role`, starting from `path` (the console returns there). */
export async function signIn(
  page: Page,
  node: ConsoleNode,
  role: 'agent' | 'marketer' | 'admin' | 'compliance',
  path = '/',
): Promise<void> {
  const user = userOf(node, role);
  await page.goto(`${node.url}${path}`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in once the console leaves the sign-in page (the session cookie is set by then).
  await expect(page).not.toHaveURL(/\/login/);
}

/** axe-core on the page as it is: zero serious or critical violations. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
