/**
 * Screenshots of the care desk for the README: starts the browser tests' network (the demo's
 * federation and three nodes, test/console/support/console-network.ts), signs in as the desk node's
 * agent in the machine's Chromium and writes the desk in English and Italian to docs/screenshots/.
 *
 *   npm run screenshots      (builds first; PostgreSQL and Redis as for the tests)
 */
// Quiet nodes: only errors reach the terminal.
process.env.LOG_LEVEL ??= 'error';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/console/support/chromium.js';
import { startConsoleNetwork } from '../test/console/support/console-network.js';
import { shootAdminScreens } from './console-screenshots-admin.js';
import { shootOperatorScreens } from './screenshots/operator-screens.js';
import { marketingScreenshots } from './console-screenshots-marketing.js';

const OUT = resolve('docs/screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  // Let transitions and fonts settle: screenshots, not measurements.
  await page.waitForTimeout(400);
  await page.screenshot({ path: resolve(OUT, `${name}.png`), fullPage: false });
  console.log(`docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const network = await startConsoleNetwork({
    databaseAdminUrl: process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    consoleDist: resolve('apps/console/dist'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const { info } = network;
    const desk = info.nodes.find((n) => n.partnerId === info.customer.deskPartnerId)!;
    const agent = desk.users.find((u) => u.role === 'agent')!;
    const customerId = info.customer.customerIds[desk.partnerId]!;
    // `-- --area compliance` (or desk) writes one area's screenshots only.
    const areaAt = process.argv.indexOf('--area');
    const area = areaAt < 0 ? undefined : process.argv[areaAt + 1];
    for (const language of area === undefined || area === 'desk' ? (['en', 'it'] as const) : []) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: language });
      const page = await context.newPage();
      await page.goto(`${desk.url}/login`);
      await page.evaluate(`localStorage.setItem('concordia.language', '${language}')`);
      await page.reload();
      await shoot(page, `sign-in-${language}`);
      await page.locator('input[type=email]').fill(agent.email);
      await page.locator('input[type=password]').fill(agent.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.goto(`${desk.url}/desk`);
      await page.getByTestId('desk-search').fill(info.customer.lastName.slice(0, 5));
      await page.locator('#customer-results [role=option]').first().waitFor();
      await shoot(page, `desk-search-${language}`);
      await page.goto(`${desk.url}/desk/customers/${customerId}`);
      // Shared history is read for a reason: open a care case from the prompt (it becomes the reason).
      await page.getByTestId('reason-prompt').waitFor();
      await shoot(page, `customer-360-reason-${language}`);
      await page.getByTestId('reason-new-case').click();
      await page
        .getByRole('dialog')
        .locator('input')
        .first()
        .fill(language === 'it' ? 'Reso di un ordine' : 'Order return');
      await page.getByRole('dialog').locator('button[type=submit]').click();
      await page.getByTestId('reason-current').waitFor();
      await page.getByTestId('timeline-shared').first().waitFor();
      await shoot(page, `customer-360-${language}`);
      await page.getByRole('tab').nth(2).click();
      await page.getByTestId('consents').last().getByRole('button').last().click();
      await page.getByTestId('consent-notice').waitFor();
      await shoot(page, `consent-capture-${language}`);
      await context.close();
      await shootOperatorScreens(browser, info, language, shoot);
    }
    await shootAdminScreens(browser, info, shoot);
    await marketingScreenshots(browser, info, shoot);
    if (area === undefined || area === 'compliance') await complianceScreens(browser, info);
  } finally {
    await browser.close();
    await network.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/** The compliance officer's screens at a node holding the well-known customer's consents. */
async function complianceScreens(
  browser: Browser,
  info: Awaited<ReturnType<typeof startConsoleNetwork>>['info'],
): Promise<void> {
  const holder = info.nodes.find((n) => n.partnerId === Object.keys(info.customer.consentIds)[0])!;
  const officer = holder.users.find((u) => u.role === 'compliance')!;
  const customerId = info.customer.customerIds[holder.partnerId]!;
  for (const language of ['en', 'it'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: language });
    const page = await context.newPage();
    await page.goto(`${holder.url}/login`);
    await page.evaluate(`localStorage.setItem('concordia.language', '${language}')`);
    await page.reload();
    await page.locator('input[type=email]').fill(officer.email);
    await page.locator('input[type=password]').fill(officer.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${holder.url}/compliance`);
    await page.getByTestId('pin-keys').click();
    await page.getByTestId('trust-panel').and(page.locator('[data-pin=PINNED]')).waitFor();
    await page.goto(`${holder.url}/compliance/customers/${customerId}?tab=consents`);
    await page.getByTestId('consents-summary').waitFor();
    await shoot(page, `compliance-consents-${language}`);
    await page.getByTestId('tab-flows').click();
    await page.getByTestId('flow-diagram').waitFor();
    await shoot(page, `compliance-flows-${language}`);
    await page.goto(`${holder.url}/compliance/ledger`);
    await page.getByTestId('ledger-size').waitFor();
    await shoot(page, `compliance-ledger-${language}`);
    await page.goto(`${holder.url}/compliance/violations`);
    await page.getByTestId('violations-total').waitFor();
    await shoot(page, `compliance-violations-${language}`);
    await context.close();
  }
}
