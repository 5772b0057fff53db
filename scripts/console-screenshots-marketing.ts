/**
 * The marketer's screenshots (scripts/console-screenshots.ts calls this): a rule with nested groups
 * and its live size, the statistics, and a segment merge's verified result (proposed by the retailer
 * and accepted by the telecom through GraphQL first), in English and Italian.
 */
import type { Browser, Page } from '@playwright/test';
import type { ConsoleNetworkInfo, ConsoleNode } from '../test/console/support/console-network.js';

type Shoot = (page: Page, name: string) => Promise<void>;

async function graphql<T>(
  node: ConsoleNode,
  token: string | null,
  query: string,
  variables = {},
): Promise<T> {
  const response = await fetch(`${node.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

async function marketerToken(node: ConsoleNode): Promise<string> {
  const user = node.users.find((u) => u.role === 'marketer')!;
  const data = await graphql<{ login: { token: string } }>(
    node,
    null,
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email: user.email, password: user.password } },
  );
  return data.login.token;
}

const CREATE = 'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }';
const EVERYONE_WITH_A_COUNTRY = { all: [{ field: 'country', op: 'is_set' }] };

/** Runs a merge retailer ⇄ telecom to completion; returns its id. */
async function completedMerge(retailer: ConsoleNode, telecom: ConsoleNode): Promise<string> {
  const [rt, tt] = [await marketerToken(retailer), await marketerToken(telecom)];
  const ours = await graphql<{ createSegment: { id: string } }>(retailer, rt, CREATE, {
    input: { name: 'Customers with a country', kind: 'RULE', rule: EVERYONE_WITH_A_COUNTRY },
  });
  const theirs = await graphql<{ createSegment: { id: string } }>(telecom, tt, CREATE, {
    input: { name: 'Subscribers with a country', kind: 'RULE', rule: EVERYONE_WITH_A_COUNTRY },
  });
  const { mergeAgreements } = await graphql<{
    mergeAgreements: { agreementId: string; partnerId: string }[];
  }>(retailer, rt, '{ mergeAgreements { agreementId partnerId } }');
  const agreement = mergeAgreements.find((a) => a.partnerId === telecom.partnerId)!;
  await new Promise((r) => setTimeout(r, 2000)); // the segments' first refresh
  const proposed = await graphql<{ proposeSegmentMerge: { id: string } }>(
    retailer,
    rt,
    'mutation($input: ProposeSegmentMergeInput!) { proposeSegmentMerge(input: $input) { id } }',
    { input: { agreementId: agreement.agreementId, segmentId: ours.createSegment.id, bucketBy: 'COUNTRY' } },
  );
  const id = proposed.proposeSegmentMerge.id;
  const LIST = '{ segmentMerges(first: 50) { nodes { id state } } }';
  type List = { segmentMerges: { nodes: { id: string; state: string }[] } };
  for (let i = 0; i < 60; i++) {
    const list = await graphql<List>(telecom, tt, LIST);
    if (list.segmentMerges.nodes.some((m) => m.id === id)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await graphql(
    telecom,
    tt,
    'mutation($input: AcceptSegmentMergeInput!) { acceptSegmentMerge(input: $input) { id } }',
    { input: { mergeId: id, segmentId: theirs.createSegment.id } },
  );
  for (let i = 0; i < 120; i++) {
    await graphql<List>(telecom, tt, LIST);
    const list = await graphql<List>(retailer, rt, LIST);
    if (list.segmentMerges.nodes.find((m) => m.id === id)?.state === 'COMPLETED') return id;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the merge did not complete');
}

export async function marketingScreenshots(
  browser: Browser,
  info: ConsoleNetworkInfo,
  shoot: Shoot,
): Promise<void> {
  const retailer = info.nodes.find((n) => n.partnerId === 'retailer')!;
  const telecom = info.nodes.find((n) => n.partnerId === 'telecom')!;
  const mergeId = await completedMerge(retailer, telecom);
  const marketer = retailer.users.find((u) => u.role === 'marketer')!;
  for (const language of ['en', 'it'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: language });
    const page = await context.newPage();
    await page.goto(`${retailer.url}/login`);
    await page.evaluate(`localStorage.setItem('concordia.language', '${language}')`);
    await page.reload();
    await page.locator('input[type=email]').fill(marketer.email);
    await page.locator('input[type=password]').fill(marketer.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    // A rule with a nested group, as a marketer builds it.
    await page.goto(`${retailer.url}/marketing/segments/new`);
    await page
      .locator('form input')
      .first()
      .fill(language === 'it' ? 'Clienti fedeli' : 'Loyal buyers');
    const pickIn = async (condition: number, select: number, option: number) => {
      await page.getByTestId('rule-condition').nth(condition).getByRole('combobox').nth(select).click();
      await page.getByRole('listbox').getByRole('option').nth(option).click();
    };
    await pickIn(0, 1, 3); // order_count: gte
    await page.getByTestId('rule-condition').nth(0).getByTestId('rule-value').fill('2');
    await page.getByTestId('rule-add-group').first().click();
    await pickIn(1, 0, 2); // country
    await pickIn(1, 1, 4); // is_set
    await page.getByTestId('rule-group').nth(1).getByTestId('rule-add-condition').click();
    await pickIn(2, 0, 7); // revenue
    await pickIn(2, 1, 3); // gte
    await page.getByTestId('rule-condition').nth(2).getByTestId('rule-value').fill('500');
    await page.getByTestId('live-size').waitFor();
    await page.waitForTimeout(800);
    await shoot(page, `marketing-rule-builder-${language}`);

    await page.goto(`${retailer.url}/marketing/statistics`);
    await page.getByTestId('sales-by-month').locator('.recharts-surface').first().waitFor();
    await shoot(page, `marketing-statistics-${language}`);

    await page.goto(`${retailer.url}/marketing/merges/${encodeURIComponent(mergeId)}`);
    await page.getByTestId('merge-venn').waitFor();
    await page.locator('[data-testid=signature-check][data-valid=true]').waitFor();
    await shoot(page, `marketing-merge-result-${language}`);
    await page.getByTestId('merge-buckets').scrollIntoViewIfNeeded();
    await shoot(page, `marketing-merge-countries-${language}`);
    await context.close();
  }
}
