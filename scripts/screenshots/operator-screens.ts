/**
 * The network operator's screens at the federation, for the README (called by
 * scripts/console-screenshots.ts): members with the suspension's effect said before confirming,
 * applications, the consent registry in counts, relay traffic per pair, the federation ledger.
 */
import type { Browser, Page } from '@playwright/test';
import type { ConsoleNetworkInfo } from '../../test/console/support/console-network.js';

export async function shootOperatorScreens(
  browser: Browser,
  info: ConsoleNetworkInfo,
  language: 'en' | 'it',
  shoot: (page: Page, name: string) => Promise<void>,
): Promise<void> {
  const { url, operator } = info.federation;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: language });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.evaluate(`localStorage.setItem('concordia.language', '${language}')`);
  await page.reload();
  await page.locator('input[type=email]').fill(operator.email);
  await page.locator('input[type=password]').fill(operator.password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  await page.goto(`${url}/operator/members`);
  await page.getByTestId('members').waitFor();
  await page.locator(`tr[data-partner="${info.nodes[0]!.partnerId}"] button`).first().click();
  await page.getByRole('dialog').getByTestId('effect').waitFor();
  await shoot(page, `operator-members-${language}`);
  await page.keyboard.press('Escape');

  await page.goto(`${url}/operator/applications`);
  await page.locator('label[for$="-APPROVED"]').click();
  await page.getByTestId('applications').waitFor();
  await shoot(page, `operator-applications-${language}`);

  await page.goto(`${url}/operator/registry`);
  await page.locator('.recharts-bar-rectangle').first().waitFor();
  await shoot(page, `operator-registry-${language}`);

  await page.goto(`${url}/operator/relay`);
  await page.getByTestId('relay-traffic').waitFor();
  await shoot(page, `operator-relay-${language}`);

  await page.goto(`${url}/operator/ledger`);
  await page.getByTestId('ledger-size').waitFor();
  await shoot(page, `operator-ledger-${language}`);
  await context.close();
}
