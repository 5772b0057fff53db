import type { TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { AgreementsService } from '../apps/partner-node/src/agreements/agreements.service.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import type { GqlResponse, TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';

/**
 * The steps every network-level test takes: nodes join the federation, agree to share customer
 * care, publish a notice and capture consents — each through the nodes' own GraphQL API.
 */

export const ok = <T>(result: GqlResponse<T>): T => {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
};

/** Polls `probe` every 200 ms until it returns a truthy value (bounded by `ms`). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Each node applies, the federation approves; returns each node's admin token by name. */
export async function joinFederation(
  federation: TestFederation,
  nodes: Record<string, TestNode>,
): Promise<Record<string, string>> {
  const admin: Record<string, string> = {};
  for (const [name, node] of Object.entries(nodes)) {
    admin[name] = await node.tokenFor(Role.ADMIN);
    const applied = ok(
      await node.gql<{ applyForMembership: { applicationId: string } }>(
        `mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { applicationId } }`,
        { input: { name, endpoint: `${node.url}/concordia` } },
        admin[name],
      ),
    );
    await federation.approve(applied.applyForMembership.applicationId);
  }
  for (const node of Object.values(nodes)) await node.app.get(NetworkService).refreshDirectory();
  return admin;
}

/** `holder` proposes a one-way customer-care agreement (30 days' retention) to `recipient`, which accepts it. */
export async function careAgreement(
  holder: { node: TestNode; admin: string },
  recipient: { node: TestNode; admin: string; partnerId: string },
): Promise<string> {
  const proposed = ok(
    await holder.node.gql<{ proposeAgreement: { agreementId: string } }>(
      `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId } }`,
      {
        input: {
          partnerId: recipient.partnerId,
          purposes: ['CUSTOMER_CARE'],
          categories: ['CARE_HISTORY', 'ORDERS'],
          direction: 'OUTBOUND',
          retentionDays: 30,
          minCohortSize: 10,
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      holder.admin,
    ),
  );
  const agreementId = proposed.proposeAgreement.agreementId;
  await recipient.node.app.get(AgreementsService).refresh();
  ok(
    await recipient.node.gql(
      `mutation($id: ID!) { acceptAgreement(agreementId: $id) { state } }`,
      { id: agreementId },
      recipient.admin,
    ),
  );
  await holder.node.app.get(AgreementsService).refresh();
  return agreementId;
}

/** Publishes the care-sharing notice and records the customer's consent to share with `recipient`. */
export async function careConsent(
  node: TestNode,
  admin: string,
  input: { customerId: string; categories: readonly string[]; recipient: string },
): Promise<{ id: string; registrationStatus: string }> {
  const notice = ok(
    await node.gql<{ createPrivacyNotice: { id: string } }>(
      `mutation($input: CreatePrivacyNoticeInput!) { createPrivacyNotice(input: $input) { id } }`,
      {
        input: {
          noticeKey: 'care-sharing',
          version: '2025-06',
          language: 'en',
          title: 'Sharing your care history',
          body: `We share your customer-care history with ${input.recipient} when you agree.`,
        },
      },
      admin,
    ),
  ).createPrivacyNotice.id;
  ok(
    await node.gql(`mutation($id: ID!) { publishPrivacyNotice(id: $id) { status } }`, { id: notice }, admin),
  );
  const given = ok(
    await node.gql<{ giveConsent: { id: string; registrationStatus: string } }>(
      `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id registrationStatus } }`,
      {
        input: {
          customerId: input.customerId,
          purposes: ['CUSTOMER_CARE'],
          categories: input.categories,
          recipients: [input.recipient],
          validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
          collectionMethod: 'WEB_FORM',
          privacyNoticeId: notice,
          jurisdiction: 'FR',
        },
      },
      admin,
    ),
  );
  return given.giveConsent;
}
