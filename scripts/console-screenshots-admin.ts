/**
 * The partner admin's screens for the README (called by console-screenshots.ts): users, notices with
 * two versions compared, agreements, network and keys, an import's check (problems, then the
 * orders-not-counted warning) and operations, in English and Italian.
 */
import type { Browser, Page } from '@playwright/test';
import type { ConsoleNetworkInfo } from '../test/console/support/console-network.js';

type Shoot = (page: Page, name: string) => Promise<void>;

async function chooseCsv(page: Page, name: string, lines: string[]): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(`${lines.join('\n')}\n`),
  });
}

export async function shootAdminScreens(
  browser: Browser,
  info: ConsoleNetworkInfo,
  shoot: Shoot,
): Promise<void> {
  const node = info.nodes.find((n) => n.partnerId === 'retailer')!;
  const admin = node.users.find((u) => u.role === 'admin')!;
  for (const language of ['en', 'it'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: language });
    const page = await context.newPage();
    await page.goto(`${node.url}/login`);
    await page.evaluate(`localStorage.setItem('concordia.language', '${language}')`);
    await page.reload();
    await page.locator('input[type=email]').fill(admin.email);
    await page.locator('input[type=password]').fill(admin.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await page.goto(`${node.url}/admin/users`);
    await page.getByTestId('users-table').getByRole('row').nth(1).waitFor();
    await shoot(page, `admin-users-${language}`);

    await page.goto(`${node.url}/admin/notices`);
    await page.getByTestId('new-version').first().click();
    const draft = page.getByTestId('notice-draft');
    await draft.locator('input').nth(1).fill(`2027-01-${language}`);
    const body = draft.locator('textarea').first();
    await body.fill(
      `${await body.inputValue()}\n\n${language === 'it' ? 'Novità: i partner possono ricevere anche il livello fedeltà.' : 'New: partners may also receive your loyalty tier.'}`,
    );
    await draft.locator('button[type=submit]').click();
    await page.getByTestId('notice-diff').waitFor();
    await page.getByTestId('notice-diff').scrollIntoViewIfNeeded();
    await shoot(page, `admin-notices-compare-${language}`);

    await page.goto(`${node.url}/admin/agreements`);
    await page.getByTestId('agreements').getByRole('article').first().waitFor();
    await shoot(page, `admin-agreements-${language}`);

    await page.goto(`${node.url}/admin/network`);
    await page.getByTestId('node-keys').getByRole('row').nth(1).waitFor();
    await shoot(page, `admin-network-${language}`);

    await page.goto(`${node.url}/admin/imports`);
    const prefix = `shot-${language}`;
    await chooseCsv(page, 'customers.csv', [
      'external_id,first_name,last_name,email,address_country',
      `${prefix}-1,Giulia,Bianchi,giulia.bianchi@example.com,IT`,
      `${prefix}-2,Marco,,marco@example.com,IT`,
      `${prefix}-3,Luca,Verdi,not-an-email,IT`,
      `${prefix}-4,Sara,Neri,sara@example.com,ITALY`,
    ]);
    await page.getByTestId('import-check').click();
    await page.getByTestId('problems').waitFor();
    await shoot(page, `admin-imports-problems-${language}`);
    await page.getByRole('checkbox').first().check();
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor();
    await page.getByTestId('import-kind').locator('label').nth(1).click();
    await chooseCsv(page, 'orders.csv', [
      'order_external_id,customer_external_id,ordered_at,channel,currency,sku,product_name,quantity,unit_price',
      `${prefix}-o1,${prefix}-1,2026-03-02T10:00:00Z,web,EUR,USB-C-1M,Cavo USB-C,2,9.90`,
      `${prefix}-o2,${prefix}-1,2026-03-09T10:00:00Z,store,EUR,PWR-65W,Alimentatore 65 W,1,39.00`,
    ]);
    await page.getByTestId('import-check').click();
    await page.getByTestId('not-counted').waitFor();
    await shoot(page, `admin-imports-not-counted-${language}`);

    await page.goto(`${node.url}/admin/operations`);
    await page
      .getByTestId('health')
      .getByText(/PostgreSQL/)
      .waitFor();
    await shoot(page, `admin-operations-${language}`);
    await context.close();
  }
}
