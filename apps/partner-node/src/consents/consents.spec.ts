import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { ConsentStatus, consentStatus, type Consent } from './consent.entity.js';

/** Consent capture on a node that has not joined a federation (the network flow is in test/trust.e2e.spec.ts). */
describe('consents without a federation (real PostgreSQL)', () => {
  let node: TestNode;
  let agent: string;
  let customerId: string;
  let noticeId: string;

  beforeAll(async () => {
    node = await startTestNode('consents');
    agent = await node.tokenFor(Role.AGENT);
    const admin = await node.tokenFor(Role.ADMIN);
    const db = node.app.get(DataSource);
    const [customer]: { id: string }[] = await db.query(
      `INSERT INTO customer (first_name, last_name) VALUES ('Ada', 'Lovelace') RETURNING id`,
    );
    customerId = customer!.id;
    await db.query(
      `INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, 'ada@example.org', true)`,
      [customerId],
    );
    const notice = await node.gql<{ createPrivacyNotice: { id: string } }>(
      `mutation { createPrivacyNotice(input: { noticeKey: "main", version: "1", language: "en", title: "T", body: "B" }) { id } }`,
      {},
      admin,
    );
    noticeId = notice.data!.createPrivacyNotice.id;
    await node.gql(`mutation($id: ID!) { publishPrivacyNotice(id: $id) { id } }`, { id: noticeId }, admin);
  });
  afterAll(async () => node?.close());

  const GIVE = `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id } }`;
  const input = () => ({
    customerId,
    purposes: ['CUSTOMER_CARE'],
    categories: ['CONTACT'],
    recipients: ['beta-bank'],
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    collectionMethod: 'IN_PERSON',
    privacyNoticeId: noticeId,
    jurisdiction: 'FR',
  });

  it('refuses a consent while the node is not a member, and stores nothing', async () => {
    const result = await node.gql(GIVE, { input: input() }, agent);
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_A_MEMBER' });
    const [row]: { n: string }[] = await node.app.get(DataSource).query(`SELECT count(*) AS n FROM consent`);
    expect(Number(row!.n)).toBe(0);
  });

  it('checks the customer and the notice first', async () => {
    const unknown = await node.gql(
      GIVE,
      { input: { ...input(), customerId: '00000000-0000-4000-8000-000000000000' } },
      agent,
    );
    expect(unknown.errors![0].extensions!.code).toBe('NOT_FOUND');
    const badNotice = await node.gql(
      GIVE,
      { input: { ...input(), privacyNoticeId: '00000000-0000-4000-8000-000000000000' } },
      agent,
    );
    expect(badNotice.errors![0].extensions).toMatchObject({
      field: 'privacyNoticeId',
      reason: 'UNKNOWN_NOTICE',
    });
  });

  it('lists a customer’s (empty) history to compliance, and refuses unknown customers and marketers', async () => {
    const Q = `query($id: ID!) { customerConsents(customerId: $id) { nodes { id } } }`;
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    expect((await node.gql(Q, { id: customerId }, compliance)).data).toEqual({
      customerConsents: { nodes: [] },
    });
    const missing = await node.gql(Q, { id: '00000000-0000-4000-8000-000000000000' }, compliance);
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
    const marketer = await node.tokenFor(Role.MARKETER);
    expect((await node.gql(Q, { id: customerId }, marketer)).errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('membership, agreements and directory need an admin and a federation', async () => {
    const admin = await node.tokenFor(Role.ADMIN);
    expect((await node.gql(`{ networkMembership { status } }`, {}, admin)).data).toEqual({
      networkMembership: null,
    });
    const apply = await node.gql(
      `mutation { applyForMembership(input: { name: "X", endpoint: "http://x.test" }) { status } }`,
      {},
      admin,
    );
    expect(apply.errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'FEDERATION_NOT_CONFIGURED',
    });
    expect((await node.gql(`{ networkMembership { status } }`, {}, agent)).errors![0].extensions!.code).toBe(
      'FORBIDDEN',
    );
  });

  it('computes the status from withdrawal and validity', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const base = {
      withdrawnAt: null,
      validFrom: new Date('2029-01-01'),
      validUntil: new Date('2031-01-01'),
    } as Consent;
    expect(consentStatus(base, now)).toBe(ConsentStatus.LIVE);
    expect(consentStatus({ ...base, withdrawnAt: now }, now)).toBe(ConsentStatus.WITHDRAWN);
    expect(consentStatus({ ...base, validUntil: now }, now)).toBe(ConsentStatus.EXPIRED);
    expect(consentStatus({ ...base, validFrom: new Date('2030-06-01') }, now)).toBe(
      ConsentStatus.NOT_YET_VALID,
    );
  });
});
