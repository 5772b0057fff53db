/**
 * The network operator's journeys at the federation's console (the same console app the nodes
 * serve, its own sessions): an application approved and the applicant node then seeing its
 * membership; a member suspended — its shares refused, seen in the refusals — then reinstated,
 * which leaves the network as it was for the journeys that follow. axe-core on every screen.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './support/journeys.js';
import { consoleNetwork, nodeOf, userOf } from './support/network-info.js';

/** Signs in at the federation as its operator, starting from `path`. */
async function signInOperator(page: Page, path = '/'): Promise<void> {
  const { federation } = consoleNetwork();
  await page.goto(`${federation.url}${path}`);
  await page.getByLabel('E-mail').fill(federation.operator.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(federation.operator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A node's GraphQL, with a bearer token. */
async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

const login = async (url: string, email: string, password: string) =>
  (
    await gql<{ login: { token: string } }>(
      url,
      'mutation($input: LoginInput!) { login(input: $input) { token } }',
      { input: { email, password } },
    )
  ).login.token;

const MEMBERSHIP = '{ networkMembership { status } }';

/** Opens a screen from the navigation, then moves the pointer away (a hovered link is not what axe should judge). */
async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.mouse.move(0, 0);
}

// The machine may be shared: more than the default minute per journey.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

test('the operator console offers only the operator screens, in English and Italian', async ({ page }) => {
  await signInOperator(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of [
    'Applications',
    'Members',
    'Agreements',
    'Consent registry',
    'Refusals',
    'Relay traffic',
  ])
    await expect(nav.getByRole('link', { name })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Care desk' })).toHaveCount(0);
  await expect(page.getByText('Roles: network operator')).toBeVisible();
  await expectAccessible(page);

  // Read-only screens, each checked with axe-core.
  await openScreen(page, 'Agreements');
  await expect(page.getByTestId('agreements')).toBeVisible();
  await expect(page.getByTestId('agreements').getByText('active').first()).toBeVisible();
  await expectAccessible(page);
  await openScreen(page, 'Consent registry');
  await expect(page.getByTestId('registry-counts')).toBeVisible();
  await expect(page.getByText('never a name')).toBeVisible();
  await expectAccessible(page);
  await openScreen(page, 'Relay traffic');
  await expect(page.getByTestId('relay-traffic')).toBeVisible();
  await expectAccessible(page);
  await openScreen(page, 'Federation ledger');
  await expect(page.getByTestId('ledger-size')).toBeVisible();
  await page.getByTestId('sign-checkpoint').click();
  await expect(page.getByTestId('checkpoints').locator('tbody tr').first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-ledger').click();
  expect((await download).suggestedFilename()).toMatch(/^federation-ledger-.*\.json$/);
  await expectAccessible(page);
  await openScreen(page, 'Federation keys');
  await expect(page.getByTestId('federation-keys').getByText('current')).toBeVisible();
  await page.getByTestId('rotate-key').click();
  await expect(page.getByRole('dialog').getByTestId('effect')).toContainText('without re-pinning');
  await expectAccessible(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.getByTestId('language-switch').selectOption('it');
  await expect(page.getByRole('link', { name: 'Domande di adesione' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Chiavi della federazione' })).toBeVisible();
  await expectAccessible(page);
  await page.getByTestId('language-switch').selectOption('en');

  // Someone whose system asks for reduced motion gets the dialog without its fade and zoom.
  await expect(page.getByTestId('rotate-key')).toBeVisible();
  await page.getByTestId('rotate-key').click();
  await expect(page.getByRole('dialog')).toHaveCSS('transition-duration', '0.2s');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByTestId('rotate-key').click();
  await expect(page.getByRole('dialog')).toHaveCSS('transition-duration', '0s');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.emulateMedia({ reducedMotion: null });
});

test("a node's admin applies from the admin screen; the operator approves; the admin sees the membership", async ({
  page,
  browser,
}) => {
  // The test network's fourth node: started with its users, never onboarded.
  const node = consoleNetwork().applicant;
  await signIn(page, node, 'admin', '/admin/network');
  await expect(page.getByTestId('membership-status')).toHaveText('Not applied');
  await expectAccessible(page);
  const form = page.getByTestId('apply-form');
  await form.getByLabel('Company name shown to members').fill(node.name);
  await expect(form.getByLabel('This node’s public address')).toHaveValue(node.url);
  await page.getByTestId('apply-submit').click();
  await expect(page.getByTestId('membership-status')).toHaveText('Pending');
  await expect(page.getByTestId('apply-form')).toHaveCount(0);

  // The operator, in a browser of their own, at the federation's console.
  const operatorContext = await browser.newContext();
  try {
    const operator = await operatorContext.newPage();
    await signInOperator(operator, '/operator/applications');
    const row = operator.locator(`tr[data-partner="${node.partnerId}"]`);
    await expect(row).toContainText(node.name);
    await expect(row).toContainText('proven by its signature');
    await expectAccessible(operator);
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = operator.getByRole('dialog');
    await expect(dialog.getByTestId('effect')).toContainText(
      `signs a membership statement binding ${node.partnerId}`,
    );
    await expectAccessible(operator);
    await dialog.getByTestId('confirm').click();
    await expect(operator.getByText(`${node.partnerId} is now a member.`)).toBeVisible();
    await expect(row).toHaveCount(0);
    await openScreen(operator, 'Members');
    await expect(operator.locator(`tr[data-partner="${node.partnerId}"]`)).toContainText('active');
  } finally {
    await operatorContext.close();
  }

  // The node's admin sees the membership (the screen refreshes it from the federation).
  await expect
    .poll(
      async () => {
        await page.reload();
        // Read once the membership has loaded (until then the screen shows no status).
        await expect(page.getByTestId('membership-status')).toBeVisible();
        return page.getByTestId('membership-status').textContent();
      },
      { timeout: 30_000 },
    )
    .toBe('Active');
});

test('an operator suspends a member: its shares are refused; reinstated, it works again', async ({
  page,
}) => {
  const network = consoleNetwork();
  // A partner that holds the well-known customer and shares with the desk's partner.
  const suspended = Object.keys(network.customer.consentIds)[0]!;
  const node = nodeOf(suspended);
  const agentToken = await login(node.url, userOf(node, 'agent').email, userOf(node, 'agent').password);
  const adminToken = await login(node.url, userOf(node, 'admin').email, userOf(node, 'admin').password);

  await signInOperator(page, '/operator/members');
  const row = page.locator(`tr[data-partner="${suspended}"]`);
  await expect(row).toContainText('active');
  await expectAccessible(page);
  await row.getByRole('button', { name: 'Suspend' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('effect')).toContainText(
    `the signatures of ${suspended} stop verifying everywhere`,
  );
  await expect(dialog.getByTestId('effect')).toContainText('active agreements carry nothing');
  await dialog.getByTestId('confirm').click();
  await expect(dialog.getByText('Say why (it is recorded).')).toBeVisible(); // the reason, at its field
  await dialog.getByLabel('Reason').fill('Key compromise reported by the partner');
  await expectAccessible(page);
  await dialog.getByTestId('confirm').click();
  await expect(row).toContainText('suspended');
  await expect(row).toContainText('Key compromise reported by the partner');

  try {
    // The suspended partner records a contact with the shared customer: its share is pushed, and refused.
    await gql(
      node.url,
      'mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { id } }',
      {
        input: {
          customerId: network.customer.customerIds[suspended],
          channel: 'PHONE',
          direction: 'INBOUND',
          subject: 'Call while the partner is suspended',
        },
      },
      agentToken,
    );
    await openScreen(page, 'Refusals');
    await page.getByTestId('refusal-party').fill(suspended);
    // The share is pushed at once and refused at the relay: the suspended member's signature no longer verifies.
    const refusedShare = page
      .getByTestId('refusals')
      .locator('tbody tr[data-reason="MEMBER_SUSPENDED"]', { hasText: '/relay/envelopes' })
      .first();
    await expect(async () => {
      await page.getByTestId('refusal-apply').click();
      await expect(refusedShare).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    // Filtered by that reason: only that reason.
    await page.getByTestId('refusal-reason').selectOption('MEMBER_SUSPENDED');
    await page.getByTestId('refusal-apply').click();
    await expect(
      page.getByTestId('refusals').locator('tbody tr:not([data-reason="MEMBER_SUSPENDED"])'),
    ).toHaveCount(0);
    await expect(refusedShare).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel('To', { exact: true }).fill('2020-01-01T00:00');
    await page.getByTestId('refusal-apply').click();
    await expect(page.getByText('Nothing to show.')).toBeVisible();
  } finally {
    // Reinstated through the console: the network is as it was for the journeys that follow.
    await openScreen(page, 'Members');
    await row.getByRole('button', { name: 'Reinstate' }).click();
    await expect(dialog.getByTestId('effect')).toContainText(`the signatures of ${suspended} verify again`);
    await dialog.getByTestId('confirm').click();
    await expect(row).toContainText('active');
  }
  await expect
    .poll(
      async () =>
        (await gql<{ networkMembership: { status: string } }>(node.url, MEMBERSHIP, {}, adminToken))
          .networkMembership.status,
    )
    .toBe('ACTIVE');
});
