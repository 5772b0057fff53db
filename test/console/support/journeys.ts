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

/**
 * In the page: the animations and transitions running now, or starting within two frames, have
 * ended (a spinner, which turns forever, is not waited for).
 */
const SETTLED = `(async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  for (let round = 0; round < 2; round += 1) {
    await frame();
    await frame();
    await Promise.all(document.getAnimations()
      .filter((a) => Number.isFinite(a.effect ? a.effect.getComputedTiming().endTime : Infinity))
      .map((a) => a.finished.catch(() => undefined)));
  }
  return true;
})()`;

/**
 * axe-core on the page as it is once its transitions have ended: zero serious or critical
 * violations. A dialog that is still fading in has its text at part opacity, which axe measures as
 * too little contrast (CI saw it on the key-rotation dialog); the page a person reads is the
 * settled one. Mantine starts a transition two animation frames after it renders the dialog, so
 * the wait begins two frames on (waiting at once found no transition yet, and axe ran mid-fade),
 * and looks again in case one transition starts another.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(SETTLED);
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
