/**
 * The compliance officer's journeys in Chromium against the test network (support/): the consent
 * history with every proof verified in the browser (WebCrypto, anchored to the pinned federation
 * keys) and a tampered proof shown failing; data flows and the Art. 15 report; an erasure whose
 * purge receipts arrive and verify; the violations report and the Art. 30 records; the ledger's
 * export verified in the browser, and a copy with one byte changed refused. axe-core on every screen.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { consoleNetwork, nodeOf, type ConsoleNode } from './support/network-info.js';
import { expectAccessible, signIn } from './support/journeys.js';

/** A node that holds the well-known customer's consents (and shared its history with the desk). */
function holderNode(): ConsoleNode {
  return nodeOf(Object.keys(consoleNetwork().customer.consentIds)[0]!);
}

async function pinFederationKeys(page: Page) {
  const panel = page.getByTestId('trust-panel');
  await expect(panel).toBeVisible();
  if ((await panel.getAttribute('data-pin')) === 'UNPINNED') await page.getByTestId('pin-keys').click();
  await expect(panel).toHaveAttribute('data-pin', 'PINNED');
}

test('consent history: every proof verifies in the browser, and a tampered proof is shown failing', async ({
  page,
}) => {
  const node = holderNode();
  const { customer } = consoleNetwork();
  await signIn(page, node, 'compliance', '/compliance');
  await expectAccessible(page);
  await pinFederationKeys(page);
  await page.getByTestId('compliance-search').fill(customer.lastName);
  const id = customer.customerIds[node.partnerId]!;
  await page.locator(`a[data-testid="compliance-result"][href$="/compliance/customers/${id}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/compliance/customers/${id}`));
  const summary = page.getByTestId('consents-summary');
  await expect(summary).toContainText(/verified in this browser/);
  const verdicts = page.getByTestId('verdict');
  expect(await verdicts.count()).toBeGreaterThan(0);
  for (const verdict of await verdicts.all()) {
    await expect(verdict).toHaveAttribute('data-status', 'ok');
    await expect(verdict).toContainText('Root of the tree of');
  }
  await expectAccessible(page);

  // The node (or anything on the way) alters one hash of a proof: the browser's check fails.
  await page.route('**/graphql', async (route) => {
    if (!route.request().postData()?.includes('CustomerConsentHistory')) return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as {
      data: {
        customerConsentHistory: { consents: { receipt: { ledger: { hashes: string[]; entry: string } } }[] };
      };
    };
    const ledger = body.data.customerConsentHistory.consents[0]!.receipt.ledger;
    if (ledger.hashes.length > 0) {
      const first = ledger.hashes[0]!;
      ledger.hashes[0] = `${first[0] === 'A' ? 'B' : 'A'}${first.slice(1)}`;
    } else ledger.entry = ledger.entry.replace('consent.given', 'consent.Given');
    await route.fulfill({ response, json: body });
  });
  await page.reload();
  await expect(page.getByTestId('consents-summary')).toContainText('failed verification');
  const failed = page.locator('[data-testid="verdict"][data-status="failed"]');
  await expect(failed.first()).toContainText('Verification failed');
  await expect(failed.first()).toContainText(/PROOF_INVALID|MALFORMED/);
  await page.unroute('**/graphql');
});

test('data flows as a diagram and a table, the access report to view and download, violations and Art. 30', async ({
  page,
}) => {
  const node = holderNode();
  const { customer } = consoleNetwork();
  const id = customer.customerIds[node.partnerId];
  await signIn(page, node, 'compliance', `/compliance/customers/${id}?tab=flows`);
  await expect(page.getByTestId('flow-diagram')).toBeVisible();
  await expect(page.getByTestId('flows-table')).toContainText(customer.deskPartnerId);
  await expectAccessible(page);

  await page.getByTestId('tab-report').click();
  await expect(page.frameLocator('[data-testid="report-frame"]').locator('body')).toContainText(
    customer.lastName,
  );
  const download = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const json = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as object;
  expect(JSON.stringify(json)).toContain(customer.email);
  await expectAccessible(page);

  await page.goto(`${node.url}/compliance/violations`);
  await expect(page.getByTestId('violations-total')).toBeVisible();
  expect(await page.getByTestId('violation-check').count()).toBeGreaterThan(5);
  await expectAccessible(page);

  await page.goto(`${node.url}/compliance/records`);
  await expect(page.getByTestId('processing-activity').first()).toBeVisible();
  await expectAccessible(page);
});

test('erasure: two steps, errors at the field, then the partners’ purge receipts arrive and verify', async ({
  page,
}) => {
  const erasable = consoleNetwork().erasable;
  test.skip(!erasable, 'the test network found no second shared customer');
  const node = nodeOf(erasable!.holderPartnerId);
  await signIn(page, node, 'compliance', '/compliance');
  await pinFederationKeys(page);
  await page.goto(`${node.url}/compliance/customers/${erasable!.customerId}?tab=erasure`);
  await page.getByTestId('erase-start').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('erase-continue').click();
  await expect(dialog).toContainText('Give a reason of 1 to 500 characters.');
  await dialog.getByTestId('erase-reason').fill('Customer request of 4 December 2026');
  await dialog.getByTestId('erase-understood').check();
  await dialog.getByTestId('erase-continue').click();
  await expect(dialog).toContainText('Step 2 of 2');
  await expectAccessible(page);
  await dialog.getByTestId('erase-confirm').click();
  const status = page.getByTestId('erasure-status');
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('data-complete', 'true', { timeout: 45_000 });
  const receipts = page.getByTestId('receipt-verdict');
  await expect(receipts.first()).toHaveAttribute('data-status', 'ok');
  await expectAccessible(page);
});

test('the ledger: an export downloaded verifies in the browser, and a copy with one byte changed does not', async ({
  page,
}) => {
  const node = holderNode();
  await signIn(page, node, 'compliance', '/compliance/ledger');
  await pinFederationKeys(page);
  await expect(page.getByTestId('ledger-size')).toBeVisible();
  await expectAccessible(page);
  const download = page.waitForEvent('download');
  await page.getByTestId('ledger-export').click();
  const text = await readFile((await (await download).path())!, 'utf8');
  const input = page.locator('input[type="file"]');
  await input.setInputFiles({ name: 'ledger.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  const verdict = page.getByTestId('export-verdict');
  await expect(verdict).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(verdict).toContainText('ledger.json verifies');

  // One byte: the first digit of the year in one entry's time.
  const at = text.indexOf('\\"at\\":\\"') + 9;
  const altered = `${text.slice(0, at)}${text[at] === '2' ? '3' : '2'}${text.slice(at + 1)}`;
  expect(altered.length).toBe(text.length);
  await input.setInputFiles({
    name: 'altered.json',
    mimeType: 'application/json',
    buffer: Buffer.from(altered),
  });
  await expect(verdict).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(verdict).toContainText('altered.json does NOT verify');
  await expect(verdict).toContainText('content does not match its leaf hash');
  await expectAccessible(page);
});
