import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgreementsService } from '../agreements/agreements.service.js';
import { NetworkService } from '../network/network.service.js';
import { Role } from '../users/role.js';
import { startTestNode, type GqlResponse, type TestNode } from './test-node.js';

/**
 * The steps every network-level test (test/*.spec.ts) and the sharing bench take: nodes join the
 * federation, agree to share, publish a privacy notice, hold customers and capture their consents,
 * each through the nodes' own GraphQL API (rows that have no API of their own are inserted).
 */

/** What the helpers need of a running partner node (a TestNode, or a bench's node). */
export interface NetworkNode {
  app: INestApplication;
  url: string;
  config: { partnerId: string };
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
}

/**
 * The id under which the federation and `recipient` know a consent given at `node`: its
 * registration for that recipient (issue 16), never the receipt's id.
 */
export async function registrationOf(
  node: NetworkNode,
  consentId: string,
  recipient: string,
): Promise<string> {
  const rows: { registration_id: string }[] = await node.app
    .get(DataSource)
    .query(`SELECT registration_id FROM consent_registration WHERE consent_id = $1 AND recipient = $2`, [
      consentId,
      recipient,
    ]);
  if (!rows[0]) throw new Error(`consent ${consentId} has no registration for ${recipient}`);
  return rows[0].registration_id;
}

/** A node and a bearer token of one of its administrators. */
export interface Party {
  node: NetworkNode;
  admin: string;
}

/** The secret a test partner's keys are sealed under (KEY_ENCRYPTION_SECRET). */
export const nodeSecret = (name: string): string => `${name} secret for sealing the node keys 0123456789`;

/**
 * One test node per name, in parallel, each on its own database, a member-to-be of the federation
 * at `federationUrl` under the partner id given (`env` is added to each node's).
 */
export async function startPartners<K extends string>(
  label: string,
  federationUrl: string,
  partners: Record<K, string>,
  env: Record<string, string> = {},
): Promise<Record<K, TestNode>> {
  const started = await Promise.all(
    Object.entries<string>(partners).map(
      async ([name, partnerId]) =>
        [
          name,
          await startTestNode(`${label}_${name}`, {
            PARTNER_ID: partnerId,
            FEDERATION_URL: federationUrl,
            KEY_ENCRYPTION_SECRET: nodeSecret(name),
            ...env,
          }),
        ] as const,
    ),
  );
  return Object.fromEntries(started) as Record<K, TestNode>;
}

/** The data of a GraphQL answer; throws with the errors when there are any. */
export function ok<T>(result: GqlResponse<T>): T {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

/** Polls `probe` every 100 ms until it returns a truthy value (bounded by `ms`). */
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
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Each node applies for membership (under its name here, with its own admin), the federation
 * approves, and every directory is refreshed. Returns the admins' tokens by name.
 */
export async function joinNetwork<N extends NetworkNode & { tokenFor(...roles: Role[]): Promise<string> }>(
  federation: { approve(applicationId: string): Promise<void> },
  nodes: Record<string, N>,
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

export interface AgreementTerms {
  purposes: readonly string[];
  categories: readonly string[];
  direction: 'OUTBOUND' | 'MUTUAL';
  retentionDays: number;
  minCohortSize: number;
  mergeBuckets?: readonly string[];
}

/** One-way customer care: care history and orders, kept 30 days. */
export const CARE_TERMS: AgreementTerms = {
  purposes: ['CUSTOMER_CARE'],
  categories: ['CARE_HISTORY', 'ORDERS'],
  direction: 'OUTBOUND',
  retentionDays: 30,
  minCohortSize: 10,
};

/** `holder` proposes an agreement (valid a year) to `recipient`, which accepts it; returns its id. */
export async function agree(
  holder: Party,
  recipient: Party,
  terms: AgreementTerms = CARE_TERMS,
): Promise<string> {
  const { agreementId } = ok(
    await holder.node.gql<{ proposeAgreement: { agreementId: string } }>(
      `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId } }`,
      {
        input: {
          partnerId: recipient.node.config.partnerId,
          ...terms,
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      holder.admin,
    ),
  ).proposeAgreement;
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

export interface NoticeText {
  noticeKey: string;
  version: string;
  language: string;
  title: string;
  body: string;
}

export const CARE_NOTICE: NoticeText = {
  noticeKey: 'care-sharing',
  version: '2025-06',
  language: 'en',
  title: 'Sharing your care history',
  body: 'We share your customer-care history with our partners when you agree.',
};

/** Creates and publishes a privacy notice; returns its id. */
export async function publishNotice(
  { node, admin }: Party,
  notice: NoticeText = CARE_NOTICE,
): Promise<string> {
  const id = ok(
    await node.gql<{ createPrivacyNotice: { id: string } }>(
      `mutation($input: CreatePrivacyNoticeInput!) { createPrivacyNotice(input: $input) { id } }`,
      { input: notice },
      admin,
    ),
  ).createPrivacyNotice.id;
  ok(await node.gql(`mutation($id: ID!) { publishPrivacyNotice(id: $id) { status } }`, { id }, admin));
  return id;
}

export interface ConsentTerms {
  customerId: string;
  privacyNoticeId: string;
  recipient: string;
  purposes?: readonly string[];
  categories?: readonly string[];
}

/** Records the customer's consent (valid 180 days, collected by web form) to share with `recipient`. */
export async function giveConsent(
  { node, admin }: Party,
  { recipient, purposes = CARE_TERMS.purposes, categories = CARE_TERMS.categories, ...rest }: ConsentTerms,
): Promise<{ id: string; registrationStatus: string }> {
  return ok(
    await node.gql<{ giveConsent: { id: string; registrationStatus: string } }>(
      `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id registrationStatus } }`,
      {
        input: {
          ...rest,
          purposes,
          categories,
          recipients: [recipient],
          validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
          collectionMethod: 'WEB_FORM',
          jurisdiction: 'FR',
        },
      },
      admin,
    ),
  ).giveConsent;
}

/** Publishes the care-sharing notice and records the customer's consent to share with `recipient`. */
export async function careConsent(
  party: Party,
  consent: Omit<ConsentTerms, 'privacyNoticeId'>,
): Promise<{ id: string; registrationStatus: string }> {
  return giveConsent(party, { ...consent, privacyNoticeId: await publishNotice(party) });
}

/**
 * Inserts a customer with this primary e-mail address; `columns` are customer columns (snake
 * case) and their values. Returns the customer's id.
 */
export async function addCustomer(
  node: NetworkNode,
  email: string,
  columns: Record<string, string | null> = { first_name: 'Ada', last_name: 'Lovelace' },
): Promise<string> {
  const db = node.app.get(DataSource);
  const names = Object.keys(columns);
  const [row]: { id: string }[] = await db.query(
    `INSERT INTO customer (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(columns),
  );
  await db.query(`INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, $2, true)`, [
    row!.id,
    email,
  ]);
  return row!.id;
}

/**
 * Inserts `count` customers, each with a primary e-mail address `<label>-<n>@example.org` (what a
 * consent names them by), in two statements; returns their ids in order.
 */
export async function addCustomers(node: NetworkNode, count: number, label: string): Promise<string[]> {
  const db = node.app.get(DataSource);
  const rows: { id: string }[] = await db.query(
    `INSERT INTO customer (first_name, last_name)
     SELECT 'Ada', $2 || ' ' || g FROM generate_series(1, $1) AS g RETURNING id`,
    [count, label],
  );
  const ids = rows.map((r) => r.id);
  await db.query(
    `INSERT INTO customer_email (customer_id, address, is_primary)
     SELECT id, $2 || '-' || n || '@example.org', true FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
    [ids, label],
  );
  return ids;
}

/**
 * Opens a care case for the customer (the reason an agent gives to read its shared history) and
 * returns it as the `reason` argument of customerTimeline / refreshSharedHistory.
 */
export async function openCareCase(
  node: NetworkNode,
  customerId: string,
  subject = 'Card blocked',
): Promise<{ careCaseId: string }> {
  const [row]: { id: string }[] = await node.app
    .get(DataSource)
    .query(`INSERT INTO care_case (customer_id, subject) VALUES ($1, $2) RETURNING id`, [
      customerId,
      subject,
    ]);
  return { careCaseId: row!.id };
}

/**
 * holder → recipient customer-care agreement (accepted), one customer known to both by the same
 * e-mail, and the holder's registered consent for that customer. Returns the two customer ids.
 */
export async function consentingCustomer(
  holder: Party,
  recipient: Party,
  email: string,
): Promise<{ holderCustomer: string; recipientCustomer: string; consentId: string }> {
  await agree(holder, recipient);
  const [holderCustomer, recipientCustomer] = await Promise.all(
    [holder, recipient].map(({ node }) => addCustomer(node, email)),
  );
  const given = await careConsent(holder, {
    customerId: holderCustomer!,
    recipient: recipient.node.config.partnerId,
  });
  if (given.registrationStatus !== 'REGISTERED') throw new Error(`consent ${given.registrationStatus}`);
  return { holderCustomer: holderCustomer!, recipientCustomer: recipientCustomer!, consentId: given.id };
}
