/**
 * The partner admin's journeys in Chromium against the test network (support/): users (invite, and a
 * disabled user's open session refused at its next click), privacy notices (a new version published
 * and compared), agreements (proposed by one admin, accepted by the other, terminated), imports
 * (three bad rows and their problems file, then the fixed file with the server's progress, and the
 * orders-not-counted warning), network and key rotation, applying to the federation from a node that
 * is not a member, operations; axe-core on every admin screen.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './support/journeys.js';
import { consoleNetwork, nodeOf, type ConsoleNode } from './support/network-info.js';

const tag = () => randomBytes(3).toString('hex');

async function signInAs(page: Page, node: ConsoleNode, email: string, password: string, path: string) {
  await page.goto(`${node.url}${path}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function adminPage(browser: Browser, node: ConsoleNode, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, node, 'admin', path);
  return page;
}

test('an admin invites a user; disabling them refuses their open session at its next click', async ({
  page,
  browser,
}) => {
  const node = nodeOf('retailer');
  await signIn(page, node, 'admin', '/admin/users');
  await expect(page.getByTestId('users-table')).toBeVisible();
  await expectAccessible(page);

  const email = `temp-${tag()}@retailer.example`;
  const password = `Shelf-lamp-${tag()}-orbit`;
  const form = page.getByTestId('create-user');
  // Errors at the field, what was typed kept.
  await form.getByLabel('E-mail').fill('not an e-mail');
  await form.getByRole('button', { name: 'Create the account' }).click();
  await expect(form.getByText('Enter a valid e-mail address.')).toBeVisible();
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Name').fill('Temporary Agent');
  await form.getByLabel('First password').fill(password);
  await form.getByRole('button', { name: 'Create the account' }).click();
  const row = page.getByTestId(`user-${email}`);
  await expect(row).toContainText('care agent');
  await expect(row.getByTestId('user-state')).toHaveText('Active');

  // The new user works at the desk in a browser of their own.
  const other = await browser.newContext();
  const theirs = await other.newPage();
  await signInAs(theirs, node, email, password, '/desk');
  await expect(theirs.getByTestId('desk-search')).toBeVisible();

  await row.getByTestId('disable-user').click();
  await expect(page.getByRole('dialog')).toContainText('refused at its next request');
  await page.getByTestId('disable-user-confirm').click();
  await expect(row.getByTestId('user-state')).toHaveText('Disabled');

  // Their next action reaches the server, which refuses it: they are back at the sign-in page.
  await theirs.getByTestId('desk-search').fill('Rossi');
  await expect(theirs).toHaveURL(/\/login/);
  await other.close();
});

test('an admin publishes a new notice version and compares it with the previous one', async ({ page }) => {
  const node = nodeOf('retailer');
  await signIn(page, node, 'admin', '/admin/notices');
  const published = page.getByTestId('notices-table').getByRole('row').filter({ hasText: '2026-01' });
  await expect(published).toContainText('Published');
  // The demo's consents were given under it.
  await expect(published).not.toContainText('0 held');
  await expectAccessible(page);

  const version = `2027-${tag()}`;
  const added = `Aggiornamento ${version}: partners may also receive your loyalty tier.`;
  await published.getByTestId('new-version').click();
  const draft = page.getByTestId('notice-draft');
  await draft.getByLabel('Version').fill(version);
  const body = draft.getByLabel('Text');
  await body.fill(`${await body.inputValue()}\n\n${added}`);
  await expect(draft.getByRole('region', { name: 'Preview (as the customer reads it)' })).toContainText(
    added,
  );
  await expectAccessible(page);
  await draft.getByRole('button', { name: 'Save the draft' }).click();
  const row = page.getByTestId('notices-table').getByRole('row').filter({ hasText: version });
  await expect(row).toContainText('Draft');
  await row.getByTestId('publish-notice').click();
  await expect(page.getByRole('dialog')).toContainText('can never be edited again');
  await page.getByTestId('publish-notice-confirm').click();
  await expect(row).toContainText('Published');
  await expect(row).toContainText('0 held (0 given)');

  await page.getByTestId('compare-left').click();
  await page.getByRole('option', { name: /2026-01/ }).click();
  await page.getByTestId('compare-right').click();
  await page.getByRole('option', { name: new RegExp(version) }).click();
  const diff = page.getByTestId('notice-diff');
  await expect(diff.locator('tr[data-kind="added"]').filter({ hasText: added })).toHaveCount(1);
  await expect(diff.locator('tr[data-kind="same"]').first()).toBeVisible();
  await expectAccessible(page);
});

test('two admins sign an agreement (proposed by one, accepted by the other), then it is terminated', async ({
  browser,
}) => {
  const retailer = nodeOf('retailer');
  const insurer = nodeOf('insurer');
  const proposer = await adminPage(browser, retailer, '/admin/agreements');
  await expect(proposer.getByTestId('agreements').getByRole('article').first()).toBeVisible();
  await expectAccessible(proposer);

  const form = proposer.getByTestId('propose-agreement');
  await form.getByTestId('propose-partner').click();
  await proposer.getByRole('option', { name: insurer.name }).click();
  await form.getByRole('checkbox', { name: 'Customer care' }).uncheck();
  await form.getByRole('checkbox', { name: 'Analytics' }).check();
  await form.getByRole('checkbox', { name: 'Care history' }).uncheck();
  await form.getByRole('checkbox', { name: 'Contact' }).check();
  await form.getByTestId('propose-retention').fill('37');
  await form.getByTestId('propose-submit').click();
  const mine = proposer.getByRole('article').filter({ hasText: 'Kept 37 days' });
  await expect(mine.getByTestId('agreement-state')).toHaveText('Proposed');

  // The insurer's admin, in a browser of their own, sees it waiting and accepts it.
  const acceptor = await adminPage(browser, insurer, '/admin/agreements');
  const theirs = acceptor.getByRole('article').filter({ hasText: 'Kept 37 days' });
  // The proposal reaches the insurer through the federation: on a loaded machine after the page has
  // read its list, so the admin looks again (reloads) until it is there.
  await expect
    .poll(
      async () => {
        await acceptor.reload();
        await expect(acceptor.getByTestId('agreements').getByRole('article').first()).toBeVisible();
        return theirs.count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await expect(theirs).toContainText('Awaits your acceptance');
  await expect(theirs).toContainText(retailer.name);
  await theirs.getByTestId('accept-agreement').click();
  await acceptor.getByTestId('accept-agreement-confirm').click();
  await expect(theirs.getByTestId('agreement-state')).toHaveText(/Active|Accepted/);
  await expectAccessible(acceptor);

  // Back at the retailer: the signed history has both steps.
  await proposer.getByTestId('refresh-agreements').click();
  await expect(mine.getByTestId('agreement-state')).toHaveText(/Active|Accepted/);
  await expect(mine.getByTestId('agreement-timeline')).toContainText('Proposed');
  await expect(mine.getByTestId('agreement-timeline')).toContainText('Accepted');

  await mine.getByTestId('terminate-agreement').click();
  const dialog = proposer.getByRole('dialog');
  await expect(dialog).toContainText('cannot be undone');
  await dialog.getByLabel('Reason (optional, shown to the partner)').fill('end of the pilot');
  await proposer.getByTestId('terminate-agreement-confirm').click();
  await expect(mine.getByTestId('agreement-state')).toHaveText('Terminated');
  await expect(mine.getByTestId('agreement-timeline')).toContainText('Terminated');
  await proposer.context().close();
  await acceptor.context().close();
});

const CUSTOMER_HEADER = 'external_id,first_name,last_name,email,address_country';
const ROWS = 20_000;

function customersCsv(prefix: string, bad: boolean): string {
  const lines = [CUSTOMER_HEADER];
  for (let i = 1; i <= ROWS; i++) {
    let email = `${prefix}-${i}@import.example`;
    let last = `Importato${i}`;
    let country = 'IT';
    if (bad && i === 10) email = 'not-an-email';
    if (bad && i === 500) last = '';
    if (bad && i === 15_000) country = 'ITALY';
    lines.push(`${prefix}-${i},Cliente,${last},${email},${country}`);
  }
  return `${lines.join('\n')}\n`;
}

async function chooseFile(page: Page, name: string, text: string) {
  await page.locator('input[type="file"]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
}

/** Records every value the progress bar shows until it reaches 100 (the values come from the server). */
async function progressValues(page: Page): Promise<number[]> {
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        const value = await page.getByTestId('import-progress').getAttribute('data-value');
        if (value !== null && seen.at(-1) !== Number(value)) seen.push(Number(value));
        return Number(value);
      },
      { intervals: [50] },
    )
    .toBe(100);
  return seen;
}

test('an admin imports customers (three bad rows, their problems file, then fixed) and orders that will not count', async ({
  page,
}) => {
  const node = nodeOf('retailer');
  await signIn(page, node, 'admin', '/admin/imports');
  await expectAccessible(page);
  const prefix = `e2e${tag()}`;

  await chooseFile(page, 'customers.csv', customersCsv(prefix, true));
  await page.getByTestId('import-check').click();
  const problems = page.getByTestId('problems');
  await expect(problems.getByRole('row')).toHaveCount(4); // header + 3
  await expect(problems).toContainText('email');
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await expectAccessible(page);
  const download = page.waitForEvent('download');
  await page.getByTestId('download-problems').click();
  const file = await readFile(await (await download).path(), 'utf8');
  expect(file.split('\n').filter(Boolean)).toHaveLength(4);
  expect(file).toMatch(/^line,reason\n11,"email: /);
  expect(file).toContain('\n501,"last_name');
  expect(file).toContain('\n15001,"address_country');

  // The fixed file: checked, then imported, the bar following the server.
  await chooseFile(page, 'customers.csv', customersCsv(prefix, false));
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report')).toContainText('20,000 rows read, 0 with problems');
  await page.getByTestId('import-confirm').click();
  const values = await progressValues(page);
  expect(values.at(-1)).toBe(100);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  await expect(page.getByTestId('import-done')).toContainText('20,000 created');
  await expect(page.getByTestId('import-progress')).toContainText('Done: 20,000 rows, 0 bad');

  // Orders without a status column: said before the import is confirmed.
  await page.getByTestId('import-kind').getByText('Orders').click();
  const orders = [
    'order_external_id,customer_external_id,ordered_at,channel,currency,sku,product_name,quantity,unit_price',
  ];
  for (let i = 1; i <= 12; i++) {
    orders.push(
      `${prefix}-o${i},${prefix}-${i},2026-03-0${(i % 9) + 1}T10:00:00Z,web,EUR,SKU-${i},Cavo USB,1,9.90`,
    );
  }
  await chooseFile(page, 'orders.csv', `${orders.join('\n')}\n`);
  await page.getByTestId('import-check').click();
  const warning = page.getByTestId('not-counted');
  await expect(warning).toContainText('12 of 12 orders');
  await expect(warning).toContainText('pending: 12');
  await expect(warning).toContainText('no status column');
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await expectAccessible(page);
  await page.getByTestId('acknowledge-not-counted').check();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toContainText('12 created');
});

test('an admin sees the membership, the directory and the keys, and rotates the keys after confirming', async ({
  page,
}) => {
  const node = nodeOf('insurer');
  await signIn(page, node, 'admin', '/admin/network');
  await expect(page.getByTestId('membership-status')).toHaveText('Active');
  await expect(page.getByTestId('membership-term')).toContainText('Membership valid until');
  for (const member of consoleNetwork().nodes) {
    await expect(page.getByTestId('directory')).toContainText(member.name);
  }
  await expectAccessible(page);
  const keys = page.getByTestId('node-keys');
  const retiredBefore = await keys.locator('tr[data-status="RETIRED"]').count();
  await page.getByTestId('rotate-keys').click();
  await expect(page.getByRole('dialog')).toContainText('stays published to verify what it signed before');
  await page.getByTestId('rotate-keys-confirm').click();
  await expect(page.getByText(/Keys rotated/)).toBeVisible();
  await expect(keys.locator('tr[data-status="RETIRED"]')).toHaveCount(retiredBefore + 1);
});

test('operations say the health in words, the queues and the deliveries', async ({ page }) => {
  const node = nodeOf('retailer');
  await signIn(page, node, 'admin', '/admin/operations');
  await expect(page.getByTestId('health')).toContainText('Everything this node depends on answers.');
  await expect(page.getByTestId('health')).toContainText('The database (PostgreSQL): answering.');
  await expect(page.getByTestId('queues')).toBeVisible();
  await expectAccessible(page);
  // Italian too.
  await page.getByTestId('language-switch').selectOption('it');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Operatività');
  await expectAccessible(page);
});
