/**
 * The marketer's journeys in Chromium against the test network (support/): a rule with nested
 * groups whose live size equals the refreshed segment's, a refusal shown at its condition; the
 * statistics charts with their tables and CSV; a segment merge proposed here and accepted by the
 * partner's marketer in another browser context, its suppressed cells and the federation's
 * signature checked in the browser; the merged segment materialised and targeted by a campaign.
 * axe-core on every screen (zero serious or critical violations).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { nodeOf } from './support/network-info.js';
import { expectAccessible, signIn } from './support/journeys.js';

const retailer = () => nodeOf('retailer');
const telecom = () => nodeOf('telecom');

/** Picks `option` in the Mantine Select labelled `label` inside `scope`. */
async function pick(page: Page, scope: Locator, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The live size once the preview for the current rule has answered. */
async function liveSize(page: Page): Promise<number> {
  const size = page.getByTestId('live-size');
  await expect(size).toBeVisible();
  await expect(page.getByTestId('live-size-panel')).toHaveAttribute('data-counting', 'false');
  return Number((await size.textContent())!.replace(/[^\d]/g, ''));
}

/** Saves the segment and waits for its first refresh; returns its size. */
async function saveAndRefresh(page: Page): Promise<number> {
  await page.getByTestId('save-segment').click();
  await expect(page).toHaveURL(/\/marketing\/segments\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('segment-refreshed')).not.toHaveText(/Refreshing|—/, { timeout: 30_000 });
  return Number((await page.getByTestId('segment-size').textContent())!.replace(/[^\d]/g, ''));
}

/** A rule segment of everyone with a known country (what each side merges). */
async function createCountrySegment(page: Page, name: string): Promise<string> {
  await page.goto(`${page.url().replace(/(https?:\/\/[^/]+).*/, '$1')}/marketing/segments/new`);
  await page.getByLabel('Name').first().fill(name);
  const condition = page.getByTestId('rule-condition').first();
  await pick(page, condition, 'Field', 'Country');
  await pick(page, condition, 'Operator', 'is known');
  await liveSize(page);
  await saveAndRefresh(page);
  return page.url().split('/').pop()!;
}

test('a marketer builds a rule with nested groups: the live size follows, a refusal shows at its value, and the refreshed segment has that size', async ({
  page,
}) => {
  await signIn(page, retailer(), 'marketer', '/marketing/segments');
  await expect(page.getByRole('heading', { name: 'Segments' })).toBeVisible();
  await expectAccessible(page);
  await page.getByTestId('new-rule-segment').click();
  await page.getByLabel('Name').first().fill('Repeat buyers with a country');

  // all: [ orders ≥ 1, any: [ country is known, orders ≥ 3 ] ]
  const root = page.getByTestId('rule-group').first();
  const first = page.getByTestId('rule-condition').first();
  // A condition without its value is not counted yet, and says so at the value.
  await expect(first.getByText('Enter a value')).toBeVisible();
  await pick(page, first, 'Operator', 'at least');
  // A value the language refuses: the server's reason shows at that value, typed text kept.
  await first.getByRole('textbox', { name: 'Value' }).fill('many');
  await expect(page.getByText('The rule is refused where marked below.')).toBeVisible();
  await expect(first.getByRole('textbox', { name: 'Value' })).toHaveAttribute('aria-invalid', 'true');
  await expect(first.getByText('expected number', { exact: false })).toBeVisible();
  await expect(first.getByRole('textbox', { name: 'Value' })).toHaveValue('many');
  await expectAccessible(page);
  await first.getByRole('textbox', { name: 'Value' }).fill('1');
  const onlyFirst = await liveSize(page);

  await root.getByTestId('rule-add-group').first().click();
  const nested = page.getByTestId('rule-group').nth(1);
  const country = nested.getByTestId('rule-condition').first();
  await pick(page, country, 'Field', 'Country');
  await pick(page, country, 'Operator', 'is known');
  await nested.getByTestId('rule-add-condition').click();
  const orders = nested.getByTestId('rule-condition').nth(1);
  await pick(page, orders, 'Operator', 'at least');
  await orders.getByRole('textbox', { name: 'Value' }).fill('3');
  await expect(nested.getByTestId('rule-group-mode')).toContainText('Any of');
  const size = await liveSize(page);
  expect(size).toBeGreaterThan(0);
  expect(size).toBeLessThanOrEqual(onlyFirst);
  await expectAccessible(page);

  expect(await saveAndRefresh(page)).toBe(size);
  await expect(page.getByTestId('size-history')).toBeVisible();
  await expectAccessible(page);
  // The list shows it with its size.
  await page.getByRole('link', { name: 'Segments' }).click();
  await expect(page.getByTestId('segments-table')).toContainText('Repeat buyers with a country');
});

test('the statistics read as charts, each with its table one click away and a CSV export', async ({
  page,
}) => {
  await signIn(page, retailer(), 'marketer', '/marketing/statistics');
  const sales = page.getByTestId('sales-by-month');
  await expect(sales.locator('.recharts-surface').first()).toBeVisible();
  const rfm = page.getByTestId('rfm-grid');
  await expect(rfm.locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('care-satisfaction').locator('.recharts-surface').first()).toBeVisible();
  // The grid is published as of its last refresh (a stored snapshot), and says so.
  const asOf = rfm.getByTestId('rfm-as-of');
  await expect(asOf).toHaveText(/^As of \d{1,2} \w{3} \d{4}, \d{2}:\d{2} · refreshed every 15 min$/);
  await expectAccessible(page);
  // "Refresh now", from the keyboard: the mutation recomputes it, then the page shows the new one.
  const refresh = rfm.getByRole('button', { name: 'Refresh now' });
  await refresh.focus();
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && /RefreshRfm/.test(r.request().postData() ?? ''),
    ),
    page.keyboard.press('Enter'),
  ]);
  const refreshed = ((await response.json()) as { data: { refreshRfmDistribution: { asOf: string } } }).data
    .refreshRfmDistribution;
  await expect(refresh).toBeEnabled();
  await expect(refresh).not.toHaveAttribute('data-loading', 'true');
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(refreshed.asOf),
  );
  await expect(asOf).toHaveText(`As of ${when} · refreshed every 15 min`);

  await sales.getByText('Table', { exact: true }).click();
  const table = page.getByTestId('sales-by-month-table');
  // 12 complete months, then the 3 projected ones.
  await expect(table.locator('tbody tr')).toHaveCount(15);
  await expect(table.locator('thead')).toContainText('Projected');
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('sales-by-month-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('sales-by-month-EUR.csv');
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe('Month,Orders,Revenue,Projected,Trend');
  expect(lines).toHaveLength(16);
});

test("a merge proposed here is accepted by the partner's marketer; suppressed cells are marked, the signature verifies in the browser, and a campaign targets the merged segment", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await signIn(page, retailer(), 'marketer', '/marketing/segments');
  await createCountrySegment(page, 'Merge e2e: retailer');

  const partnerContext = await browser.newContext();
  const partner = await partnerContext.newPage();
  try {
    await signIn(partner, telecom(), 'marketer', '/marketing/segments');
    await createCountrySegment(partner, 'Merge e2e: telecom');

    await page.goto(`${retailer().url}/marketing/merges`);
    await expectAccessible(page);
    const form = page.getByTestId('propose-merge');
    await pick(page, form, 'Agreement', 'telecom (counts under 10 suppressed)');
    await pick(page, form, 'Our segment', 'Merge e2e: retailer');
    await page.getByTestId('propose-submit').click();
    await expect(page).toHaveURL(/\/marketing\/merges\/.+/);
    await expect(page.getByTestId('merge-state')).toHaveText('Proposed');
    const mergeUrl = page.url();

    // The partner sees the proposal (the list synchronises with the federation) and accepts it.
    await partner.goto(`${telecom().url}/marketing/merges`);
    await expect(partner.getByTestId('merges-table').getByRole('link', { name: 'retailer' })).toBeVisible({
      timeout: 20_000,
    });
    await partner.getByTestId('merges-table').getByRole('link', { name: 'retailer' }).first().click();
    const answer = partner.getByTestId('answer-proposal');
    await expect(answer).toContainText('retailer proposes to merge segments');
    await expectAccessible(partner);
    await pick(partner, answer, 'Our segment', 'Merge e2e: telecom');
    await partner.getByTestId('accept-merge').click();
    await expect(partner.getByTestId('merge-state')).not.toHaveText('Proposed');

    // The result: verified here, suppressed cells marked and explained.
    await page.goto(mergeUrl);
    await expect(page.getByTestId('merge-state')).toHaveText('Result verified', { timeout: 60_000 });
    await expect(page.getByTestId('merge-venn')).toBeVisible();
    await expect(page.getByTestId('signature-check')).toHaveAttribute('data-valid', 'true');
    await expect(page.getByTestId('signature-check')).toContainText('verified in this browser');
    await expect(page.getByTestId('merge-buckets')).toBeVisible();
    expect(await page.getByTestId('suppressed-cell').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('suppression-explained')).toContainText('minimum of 10 people');
    await expectAccessible(page);

    // Materialise, then a campaign on the merged segment.
    await page.getByTestId('materialise').click();
    const merged = page.getByTestId('merged-segment');
    await expect(merged).toBeVisible();
    const mergedSize = Number(
      (await merged.textContent())!.match(/: ([\d,]+) people/)![1]!.replace(/,/g, ''),
    );
    await page.getByTestId('merged-campaign').click();
    const campaignForm = page.getByTestId('campaign-form');
    await expect(campaignForm).toBeVisible();
    await campaignForm.getByLabel('Name').fill('Merged e2e campaign');
    await expectAccessible(page);
    await page.getByTestId('save-campaign').click();
    await expect(page).toHaveURL(/\/marketing\/campaigns\/[0-9a-f-]{36}$/);
    await page.getByTestId('launch-campaign').click();
    await expect(page.getByTestId('campaign-status')).toHaveText('Launched');
    await expect(page.getByTestId('campaign-reach')).toHaveText(String(mergedSize));
    if (mergedSize > 0) {
      await page.getByTestId('campaign-customer').click();
      await page.getByRole('listbox').getByRole('option').first().click();
      await page.getByTestId('record-response').click();
      await expect(page.getByTestId('campaign-response-rate')).not.toHaveText('—');
    }
    await expectAccessible(page);
  } finally {
    await partnerContext.close();
  }
});
